//! Paginators (`@paginated`): pages and items, blocking ([`Paginator`], an
//! iterator) and async ([`AsyncPaginator`]). A paginator follows the
//! output token (a string, or a map such as DynamoDB's keys) into the next
//! input until the token is absent or empty, and ends with an error when
//! the service answers with the token it was sent, compared by value (it
//! would never end otherwise). `.items()` exists only for operations whose
//! trait names their items ([`PaginatedItems`]).

use super::super::http::Operation;
use super::{AsyncClient, BlockingClient, CallOptions, SdkError};

/// What a paginated operation tells its paginator.
pub trait Paginated: Operation {
    /// The continuation token: a string, or a map (DynamoDB's keys).
    type Token: Clone + PartialEq;

    /// Puts the token into the next input.
    fn set_token(input: &mut Self::Input, token: Self::Token);

    /// The token of the next page, if any (an empty one is none).
    fn next_token(output: &Self::Output) -> Option<Self::Token>;

    /// The token as text, for the repeated-token error.
    fn token_text(token: &Self::Token) -> String;

    /// Sets the page size, when the operation has one.
    fn set_page_size(input: &mut Self::Input, size: i32) {
        let _ = (input, size);
    }
}

/// What a paginated operation whose trait names its items tells its
/// paginator: the items of a page (a list's elements, a map's entries).
pub trait PaginatedItems: Paginated {
    /// An item.
    type Item;

    /// The page's items.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// Where a paginator is.
enum Next<T> {
    /// The first page: the input as given.
    First,
    /// A later page, after the token sent last.
    After(T),
    /// Finished (the next call returns `None`).
    Done,
    /// The service repeated this token: one error, then done.
    Repeated(String),
}

/// What to do for the next page: nothing more, the repeated-token error,
/// or a call (with the token it sends, if any).
enum Turn<T> {
    End,
    Repeated(String),
    Call(Option<T>),
}

impl<T: Clone + PartialEq> Next<T> {
    /// Takes the state for the next page, putting the token into `input`.
    fn turn<O: Paginated<Token = T>>(&mut self, input: &mut O::Input) -> Turn<T> {
        match std::mem::replace(self, Next::Done) {
            Next::Done => Turn::End,
            Next::Repeated(token) => Turn::Repeated(token),
            Next::First => Turn::Call(None),
            Next::After(token) => {
                O::set_token(input, token.clone());
                Turn::Call(Some(token))
            }
        }
    }

    /// The state after a page answering a call that sent `sent`: a token
    /// equal to the one sent (compared by value) would never end.
    fn after<O: Paginated<Token = T>>(sent: Option<&T>, output: &O::Output) -> Next<T> {
        match O::next_token(output) {
            None => Next::Done,
            Some(t) if Some(&t) == sent => Next::Repeated(O::token_text(&t)),
            Some(t) => Next::After(t),
        }
    }
}

fn repeated<E>(token: String) -> SdkError<E> {
    SdkError::RepeatedToken { token }
}

/// The pages of a paginated operation, as an iterator: each item is a page
/// or the error that ended the iteration.
pub struct Paginator<'c, O>
where
    O: Paginated,
{
    client: &'c BlockingClient,
    input: O::Input,
    options: CallOptions,
    next: Next<O::Token>,
}

impl<'c, O> Paginator<'c, O>
where
    O: Paginated,
{
    /// Pages of `O` from `input` (whose token, if set, is the first sent).
    pub fn new(client: &'c BlockingClient, input: O::Input) -> Self {
        Paginator {
            client,
            input,
            options: CallOptions::default(),
            next: Next::First,
        }
    }

    /// Asks for pages of this size (the operation's `pageSize` member;
    /// no effect on an operation without one).
    #[must_use]
    pub fn page_size(mut self, size: i32) -> Self {
        O::set_page_size(&mut self.input, size);
        self
    }

    /// Per-call options for every page.
    #[must_use]
    pub fn options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }
}

impl<'c, O> Paginator<'c, O>
where
    O: PaginatedItems,
{
    /// The items of every page, in order.
    pub fn items(self) -> Items<'c, O> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<O> Iterator for Paginator<'_, O>
where
    O: Paginated,
{
    type Item = Result<O::Output, SdkError<O::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        let sent = match self.next.turn::<O>(&mut self.input) {
            Turn::End => return None,
            Turn::Repeated(token) => return Some(Err(repeated(token))),
            Turn::Call(sent) => sent,
        };
        let page = self.client.call::<O>(&self.input, &self.options);
        if let Ok(output) = &page {
            self.next = Next::after::<O>(sent.as_ref(), output);
        }
        Some(page)
    }
}

/// The items of every page, as an iterator.
pub struct Items<'c, O>
where
    O: PaginatedItems,
{
    pages: Paginator<'c, O>,
    buffer: std::vec::IntoIter<O::Item>,
}

impl<O> Iterator for Items<'_, O>
where
    O: PaginatedItems,
{
    type Item = Result<O::Item, SdkError<O::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.buffer = O::into_items(page).into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// The pages of a paginated operation, async: call
/// [`next_page`](Self::next_page) until it returns `None`. Dropping it (or
/// a pending `next_page`) cancels.
pub struct AsyncPaginator<'c, O>
where
    O: Paginated,
{
    client: &'c AsyncClient,
    input: O::Input,
    options: CallOptions,
    next: Next<O::Token>,
}

impl<'c, O> AsyncPaginator<'c, O>
where
    O: Paginated,
{
    /// Pages of `O` from `input`.
    pub fn new(client: &'c AsyncClient, input: O::Input) -> Self {
        AsyncPaginator {
            client,
            input,
            options: CallOptions::default(),
            next: Next::First,
        }
    }

    /// Asks for pages of this size.
    #[must_use]
    pub fn page_size(mut self, size: i32) -> Self {
        O::set_page_size(&mut self.input, size);
        self
    }

    /// Per-call options for every page.
    #[must_use]
    pub fn options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }

    /// The next page, or `None` after the last (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<O::Output, SdkError<O::Error>>> {
        let sent = match self.next.turn::<O>(&mut self.input) {
            Turn::End => return None,
            Turn::Repeated(token) => return Some(Err(repeated(token))),
            Turn::Call(sent) => sent,
        };
        let page = self.client.call::<O>(&self.input, &self.options).await;
        if let Ok(output) = &page {
            self.next = Next::after::<O>(sent.as_ref(), output);
        }
        Some(page)
    }

    /// The items of every page, in order: call
    /// [`next_item`](AsyncItems::next_item) until it returns `None`.
    pub fn items(self) -> AsyncItems<'c, O>
    where
        O: PaginatedItems,
    {
        AsyncItems {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

/// The items of every page of a paginated operation, async.
pub struct AsyncItems<'c, O>
where
    O: PaginatedItems,
{
    pages: AsyncPaginator<'c, O>,
    buffer: std::vec::IntoIter<O::Item>,
}

impl<O> AsyncItems<'_, O>
where
    O: PaginatedItems,
{
    /// The next item across pages, or `None` after the last.
    pub async fn next_item(&mut self) -> Option<Result<O::Item, SdkError<O::Error>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            match self.pages.next_page().await? {
                Ok(page) => self.buffer = O::into_items(page).into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl<O: Paginated> std::fmt::Debug for Paginator<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .finish_non_exhaustive()
    }
}

impl<O: PaginatedItems> std::fmt::Debug for Items<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("operation", &O::NAME)
            .finish_non_exhaustive()
    }
}

impl<O: Paginated> std::fmt::Debug for AsyncPaginator<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncPaginator")
            .field("operation", &O::NAME)
            .finish_non_exhaustive()
    }
}

impl<O: PaginatedItems> std::fmt::Debug for AsyncItems<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncItems")
            .field("operation", &O::NAME)
            .finish_non_exhaustive()
    }
}
