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
            use crate::runtime::jmespath::*;
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
pub(super) fn emit_waiter(module: &str, op: &Operation, w: &Waiter) -> TokenStream {
    let constant = ident(&w.constant);
    let name = &w.name;
    let (min, max) = (w.min_delay, w.max_delay);
    let doc = format!(
        " The `{name}` waiter of `{}`: [`wait_until_{}`](crate::{module}::client::Client::{}).",
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
    let pair = |a: &JmesExpr, b: &JmesExpr| (expr(a), expr(b));
    match e {
        JmesExpr::Identity => quote!(Expr::Identity),
        JmesExpr::Field(f) => quote!(Expr::Field(#f)),
        JmesExpr::Index(i) => quote!(Expr::Index(#i)),
        JmesExpr::Slice(a, b, c) => {
            let part = |v: &Option<i64>| match v {
                Some(n) => quote!(::std::option::Option::Some(#n)),
                None => quote!(::std::option::Option::None),
            };
            let (a, b, c) = (part(a), part(b), part(c));
            quote!(Expr::Slice(#a, #b, #c))
        }
        JmesExpr::Sub(a, b) => {
            let (a, b) = pair(a, b);
            quote!(Expr::Sub(&#a, &#b))
        }
        JmesExpr::Pipe(a, b) => {
            let (a, b) = pair(a, b);
            quote!(Expr::Pipe(&#a, &#b))
        }
        JmesExpr::Projection(a, b) => {
            let (a, b) = pair(a, b);
            quote!(Expr::Projection(&#a, &#b))
        }
        JmesExpr::ValueProjection(a, b) => {
            let (a, b) = pair(a, b);
            quote!(Expr::ValueProjection(&#a, &#b))
        }
        JmesExpr::FilterProjection(a, cond, b) => {
            let (a, b) = pair(a, b);
            let cond = expr(cond);
            quote!(Expr::FilterProjection(&#a, &#cond, &#b))
        }
        JmesExpr::Flatten(a) => {
            let a = expr(a);
            quote!(Expr::Flatten(&#a))
        }
        JmesExpr::MultiList(items) => {
            let items = items.iter().map(expr);
            quote!(Expr::MultiList(&[#(#items),*]))
        }
        JmesExpr::MultiHash(pairs) => {
            let pairs = pairs.iter().map(|(k, v)| {
                let v = expr(v);
                quote!((#k, #v))
            });
            quote!(Expr::MultiHash(&[#(#pairs),*]))
        }
        JmesExpr::Literal(l) => {
            let l = lit(l);
            quote!(Expr::Literal(#l))
        }
        JmesExpr::Compare(op, a, b) => {
            let op = ident(op);
            let (a, b) = pair(a, b);
            quote!(Expr::Compare(Cmp::#op, &#a, &#b))
        }
        JmesExpr::And(a, b) => {
            let (a, b) = pair(a, b);
            quote!(Expr::And(&#a, &#b))
        }
        JmesExpr::Or(a, b) => {
            let (a, b) = pair(a, b);
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
        JmesExpr::ExprRef(a) => {
            let a = expr(a);
            quote!(Expr::Reference(&#a))
        }
    }
}

fn lit(l: &JmesLit) -> TokenStream {
    match l {
        JmesLit::Null => quote!(Lit::Null),
        JmesLit::Bool(b) => quote!(Lit::Bool(#b)),
        JmesLit::Int(n) => quote!(Lit::Int(#n)),
        JmesLit::Float(n) => {
            let n = float_lit(*n, false);
            quote!(Lit::Float(#n))
        }
        JmesLit::Str(s) => quote!(Lit::Str(#s)),
        JmesLit::Array(items) => {
            let items = items.iter().map(lit);
            quote!(Lit::Array(&[#(#items),*]))
        }
        JmesLit::Object(pairs) => {
            let pairs = pairs.iter().map(|(k, v)| {
                let v = lit(v);
                quote!((#k, #v))
            });
            quote!(Lit::Object(&[#(#pairs),*]))
        }
    }
}
