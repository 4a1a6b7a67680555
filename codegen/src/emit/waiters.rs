//! `waiters.rs` of a service: every waiter's acceptors as static data for
//! the runtime's waiter engine, JMESPath expressions already parsed.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::*;
use crate::ir::*;

/// The module docs and imports (JMESPath's only where some acceptor reads
/// a path: S3's waiters match statuses and error codes alone).
pub(super) fn emit_waiters_head(paths: bool) -> TokenStream {
    let jmespath = if paths {
        quote!(
            use crate::runtime::client::jmespath::*;
        )
    } else {
        quote!()
    };
    quote! {
        #![doc = " Waiters (`smithy.waiters#waitable`): each waiter's acceptors, for the client's `wait_until_*` methods (the `client` feature)."]
        #jmespath
        use crate::runtime::client::waiter::*;
    }
}

/// The static of one waiter.
pub(super) fn emit_waiter(op: &Operation, w: &Waiter) -> TokenStream {
    let constant = ident(&w.constant);
    let name = &w.name;
    let (min, max) = (w.min_delay, w.max_delay);
    let doc = format!(
        " The `{name}` waiter of `{}`: [`wait_until_{}`](super::client::Client::{}).",
        op.wire_name,
        w.method.trim_start_matches("wait_until_"),
        w.method
    );
    let acceptors = w.acceptors.iter().map(|a| {
        let state = ident(&a.state);
        let matcher = match &a.matcher {
            Matcher::Success(b) => quote!(Matcher::Success(#b)),
            Matcher::ErrorType(code) => quote!(Matcher::ErrorType(#code)),
            Matcher::Output(e, expected, cmp) | Matcher::InputOutput(e, expected, cmp) => {
                let e = expr(e);
                let cmp = ident(cmp);
                let kind = if matches!(a.matcher, Matcher::Output(..)) {
                    quote!(Output)
                } else {
                    quote!(InputOutput)
                };
                quote!(Matcher::#kind(&#e, #expected, Comparator::#cmp))
            }
        };
        quote!(Acceptor { state: State::#state, matcher: #matcher })
    });
    quote! {
        #[doc = #doc]
        pub static #constant: WaiterSpec<'static> = WaiterSpec {
            name: #name,
            min_delay: #min,
            max_delay: #max,
            acceptors: &[#(#acceptors),*],
        };
    }
}

fn expr(e: &JmesExpr) -> TokenStream {
    match e {
        JmesExpr::Path(steps) => {
            let steps = steps.iter().map(|s| match s {
                JmesStep::Field(f) => quote!(Step::Field(#f)),
                JmesStep::Index(i) => quote!(Step::Index(#i)),
                JmesStep::Flatten => quote!(Step::Flatten),
                JmesStep::Wildcard => quote!(Step::Wildcard),
                JmesStep::Filter(c) => {
                    let c = expr(c);
                    quote!(Step::Filter(&#c))
                }
            });
            quote!(Expr::Path(&[#(#steps),*]))
        }
        JmesExpr::Literal(l) => {
            let l = match l {
                JmesLit::Null => quote!(Lit::Null),
                JmesLit::Bool(b) => quote!(Lit::Bool(#b)),
                JmesLit::Number(n) => quote!(Lit::Number(#n)),
                JmesLit::Str(s) => quote!(Lit::Str(#s)),
            };
            quote!(Expr::Literal(#l))
        }
        JmesExpr::Compare(op, a, b) => {
            let op = ident(op);
            let (a, b) = (expr(a), expr(b));
            quote!(Expr::Compare(Cmp::#op, &#a, &#b))
        }
        JmesExpr::And(a, b) => {
            let (a, b) = (expr(a), expr(b));
            quote!(Expr::And(&#a, &#b))
        }
        JmesExpr::Or(a, b) => {
            let (a, b) = (expr(a), expr(b));
            quote!(Expr::Or(&#a, &#b))
        }
        JmesExpr::Not(a) => {
            let a = expr(a);
            quote!(Expr::Not(&#a))
        }
        JmesExpr::Call(f, args) => {
            let f = ident(f);
            let args = args.iter().map(expr);
            quote!(Expr::Call(Function::#f, &[#(#args),*]))
        }
    }
}
