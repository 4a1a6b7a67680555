//! Paginators (`@paginated`): pages and items, blocking ([`Paginator`], an
//! iterator) and async ([`AsyncPaginator`]). A paginator follows the
//! output token into the next input until the token is absent or empty,
//! and ends with an error when the service answers with the token it was
//! sent (it would never end otherwise).

use super::super::http::Operation;
use super::{AsyncClient, BlockingClient, CallOptions, SdkError};

/// What a paginated operation tells its paginator.
pub trait Paginated: Operation {
    /// An element of the `items` list (`()` when the model names none).
    type Item;

    /// Puts the token into the next input.
    fn set_token(input: &mut Self::Input, token: String);

    /// The token of the next page, if any.
    fn next_token(output: &Self::Output) -> Option<&str>;

    /// Sets the page size, when the operation has one.
    fn set_page_size(input: &mut Self::Input, size: i32) {
        let _ = (input, size);
    }

    /// The page's items.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// Where a paginator is.
#[derive(Debug)]
enum Next {
    /// The first page: the input as given.
    First,
    /// A later page, after the token sent last.
    After(String),
    /// Finished (the next call returns `None`).
    Done,
    /// The service repeated this token: one error, then done.
    Repeated(String),
}

/// What to do for the next page: nothing more, the repeated-token error,
/// or a call (with the token it sends, if any).
enum Turn {
    End,
    Repeated(String),
    Call(Option<String>),
}

impl Next {
    /// Takes the state for the next page, putting the token into `input`.
    fn turn<O: Paginated>(&mut self, input: &mut O::Input) -> Turn {
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

    /// The state after a page answering a call that sent `sent`.
    fn after<O: Paginated>(sent: Option<&str>, output: &O::Output) -> Next {
        match O::next_token(output) {
            None | Some("") => Next::Done,
            Some(t) if Some(t) == sent => Next::Repeated(t.to_string()),
            Some(t) => Next::After(t.to_string()),
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
    next: Next,
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
            self.next = Next::after::<O>(sent.as_deref(), output);
        }
        Some(page)
    }
}

/// The items of every page, as an iterator.
pub struct Items<'c, O>
where
    O: Paginated,
{
    pages: Paginator<'c, O>,
    buffer: std::vec::IntoIter<O::Item>,
}

impl<O> Iterator for Items<'_, O>
where
    O: Paginated,
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
    next: Next,
    buffer: std::vec::IntoIter<O::Item>,
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
            buffer: Vec::new().into_iter(),
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
            self.next = Next::after::<O>(sent.as_deref(), output);
        }
        Some(page)
    }

    /// The next item across pages, or `None` after the last.
    pub async fn next_item(&mut self) -> Option<Result<O::Item, SdkError<O::Error>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            match self.next_page().await? {
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

impl<O: Paginated> std::fmt::Debug for Items<'_, O> {
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
