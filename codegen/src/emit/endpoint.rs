//! `endpoint.rs` of a service (its rule set as static data, typed
//! parameters, `resolve`) and the crate's `partitions.rs`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::tokens::*;
use crate::ir::*;

/// The whole `endpoint.rs` of a service with a rule set.
pub(crate) fn emit_endpoint_file(rules: &EndpointRules) -> TokenStream {
    let docs = inner_doc_attrs(&[
        "Endpoint resolution from the service's rule set (`smithy.rules#endpointRuleSet`).".into(),
        "[`Params`] holds the rule set's parameters and [`Params::resolve`] walks [`RULES`] with \
         the runtime's evaluator; clients fill the parameters from their configuration \
         (region, FIPS, dual-stack, endpoint override) on every call."
            .into(),
    ]);
    let params = emit_params(rules);
    let slots = emit_slots(rules);
    let rule_set = emit_rule_set(rules);
    quote! {
        #docs
        use crate::runtime::endpoint::*;

        #params
        #slots
        #rule_set
    }
}

fn field_type(p: &EndpointParam) -> TokenStream {
    let inner = match p.kind {
        EndpointParamKind::String => quote!(::std::string::String),
        EndpointParamKind::Boolean => quote!(bool),
        EndpointParamKind::StringArray => quote!(::std::vec::Vec<::std::string::String>),
    };
    if p.default.is_some() {
        inner
    } else {
        quote!(::std::option::Option<#inner>)
    }
}

fn default_value(p: &EndpointParam) -> TokenStream {
    match &p.default {
        None => quote!(::std::option::Option::None),
        Some(EndpointLiteral::Bool(b)) => quote!(#b),
        Some(EndpointLiteral::Str(s)) => quote!(::std::string::String::from(#s)),
        Some(EndpointLiteral::StrArray(items)) => {
            quote!(::std::vec![#(::std::string::String::from(#items)),*])
        }
    }
}

fn param_doc(p: &EndpointParam) -> String {
    let mut doc = format!(" `{}`", p.name);
    if let Some(b) = &p.builtin {
        doc.push_str(&format!(" (built-in `{b}`)"));
    }
    doc.push('.');
    match &p.default {
        Some(EndpointLiteral::Bool(b)) => doc.push_str(&format!(" Defaults to `{b}`.")),
        Some(EndpointLiteral::Str(s)) => doc.push_str(&format!(" Defaults to `{s:?}`.")),
        Some(EndpointLiteral::StrArray(items)) => {
            doc.push_str(&format!(" Defaults to `{items:?}`."))
        }
        None if p.required => doc.push_str(" Required."),
        None => {}
    }
    doc
}

fn emit_params(rules: &EndpointRules) -> TokenStream {
    let fields = rules.params.iter().map(|p| {
        let name = ident(&p.field);
        let ty = field_type(p);
        let doc = param_doc(p);
        quote!(#[doc = #doc] pub #name: #ty,)
    });
    let defaults = rules.params.iter().map(|p| {
        let name = ident(&p.field);
        let value = default_value(p);
        quote!(#name: #value,)
    });
    let values = rules.params.iter().map(|p| {
        let name = ident(&p.field);
        match (p.kind, p.default.is_some()) {
            (EndpointParamKind::String, true) => quote!(Value::str(&self.#name)),
            (EndpointParamKind::String, false) => quote!(Value::opt_str(self.#name.as_deref())),
            (EndpointParamKind::Boolean, true) => quote!(Value::Bool(self.#name)),
            (EndpointParamKind::Boolean, false) => quote!(Value::opt_bool(self.#name)),
            (EndpointParamKind::StringArray, true) => quote!(Value::str_array(&self.#name)),
            (EndpointParamKind::StringArray, false) => {
                quote!(self.#name.as_deref().map_or(Value::None, Value::str_array))
            }
        }
    });
    // `Default` is derived when every default is the type's own.
    let derivable = rules.params.iter().all(|p| match &p.default {
        None | Some(EndpointLiteral::Bool(false)) => true,
        Some(EndpointLiteral::Str(s)) => s.is_empty(),
        Some(EndpointLiteral::StrArray(items)) => items.is_empty(),
        Some(EndpointLiteral::Bool(true)) => false,
    });
    let (derive, default_impl) = if derivable {
        (quote!(Default,), quote!())
    } else {
        (
            quote!(),
            quote! {
                impl ::std::default::Default for Params {
                    fn default() -> Self {
                        Params { #(#defaults)* }
                    }
                }
            },
        )
    };
    quote! {
        /// The parameters of the service's endpoint rule set, with the rule
        /// set's defaults.
        #[derive(Clone, Debug, #derive PartialEq)]
        pub struct Params {
            #(#fields)*
        }

        #default_impl

        impl Params {
            /// Resolves the endpoint these parameters select, or the rule
            /// set's error message.
            pub fn resolve(&self) -> ::std::result::Result<Endpoint, ResolveError> {
                self.resolve_with(crate::partitions::PARTITIONS)
            }

            /// Resolves with another partition table than the crate's own
            /// (regions or partitions newer than this crate).
            pub fn resolve_with<'a>(
                &'a self,
                partitions: &'a [Partition<'a>],
            ) -> ::std::result::Result<Endpoint, ResolveError> {
                resolve(&RULES, ::std::vec::Vec::from([#(#values),*]), partitions)
            }
        }
    }
}

fn emit_slots(rules: &EndpointRules) -> TokenStream {
    let consts = rules.slot_names.iter().enumerate().map(|(i, name)| {
        let name = ident(name);
        let i = Literal::usize_unsuffixed(i);
        quote!(pub(super) const #name: usize = #i;)
    });
    quote! {
        /// Slots of the evaluator's scope: parameters, then assigned variables
        /// (a parameter the rules never read keeps its slot).
        #[allow(dead_code)]
        mod slot {
            #(#consts)*
        }
    }
}

fn emit_rule_set(rules: &EndpointRules) -> TokenStream {
    let names: Vec<Ident> = rules.slot_names.iter().map(|n| ident(n)).collect();
    let params = rules.params.iter().map(|p| {
        let name = &p.name;
        let kind = ident(match p.kind {
            EndpointParamKind::String => "String",
            EndpointParamKind::Boolean => "Boolean",
            EndpointParamKind::StringArray => "StringArray",
        });
        let required = p.required;
        let default = match &p.default {
            None => quote!(None),
            Some(EndpointLiteral::Bool(b)) => quote!(Some(Literal::Bool(#b))),
            Some(EndpointLiteral::Str(s)) => quote!(Some(Literal::Str(#s))),
            Some(EndpointLiteral::StrArray(items)) => {
                quote!(Some(Literal::StrArray(&[#(#items),*])))
            }
        };
        let builtin = match &p.builtin {
            Some(b) => quote!(Some(#b)),
            None => quote!(None),
        };
        quote! {
            Param {
                name: #name,
                kind: ParamKind::#kind,
                required: #required,
                default: #default,
                builtin: #builtin,
            }
        }
    });
    let slots = Literal::usize_unsuffixed(rules.slots);
    let body = rule_list(&rules.rules, &names);
    quote! {
        /// The service's endpoint rule set, as data for the runtime's evaluator.
        pub static RULES: RuleSet<'static> = RuleSet {
            params: &[#(#params),*],
            slots: #slots,
            rules: #body,
        };
    }
}

fn rule_list(rules: &[EndpointRule], slots: &[Ident]) -> TokenStream {
    let items = rules.iter().map(|r| rule(r, slots));
    quote!(&[#(#items),*])
}

fn conditions(conditions: &[EndpointCondition], slots: &[Ident]) -> TokenStream {
    let items = conditions.iter().map(|c| {
        let e = expr(&c.expr, slots);
        let assign = match c.assign {
            Some(s) => {
                let s = &slots[s];
                quote!(Some(slot::#s))
            }
            None => quote!(None),
        };
        quote!(Condition { expr: #e, assign: #assign })
    });
    quote!(&[#(#items),*])
}

fn rule(r: &EndpointRule, slots: &[Ident]) -> TokenStream {
    match r {
        EndpointRule::Endpoint {
            conditions: c,
            url,
            properties,
            headers,
        } => {
            let c = conditions(c, slots);
            let url = expr(url, slots);
            let properties = properties.iter().map(|(k, v)| {
                let v = expr(v, slots);
                quote!((#k, #v))
            });
            let headers = headers.iter().map(|(k, vs)| {
                let vs = vs.iter().map(|v| expr(v, slots));
                quote!((#k, &[#(#vs),*]))
            });
            quote! {
                Rule::Endpoint {
                    conditions: #c,
                    endpoint: EndpointTemplate {
                        url: #url,
                        properties: &[#(#properties),*],
                        headers: &[#(#headers),*],
                    },
                }
            }
        }
        EndpointRule::Error {
            conditions: c,
            message,
        } => {
            let c = conditions(c, slots);
            let message = expr(message, slots);
            quote!(Rule::Error { conditions: #c, message: #message })
        }
        EndpointRule::Tree {
            conditions: c,
            rules,
        } => {
            let c = conditions(c, slots);
            let rules = rule_list(rules, slots);
            quote!(Rule::Tree { conditions: #c, rules: #rules })
        }
    }
}

fn path(parts: &[EndpointPath]) -> TokenStream {
    let parts = parts.iter().map(|p| match p {
        EndpointPath::Key(k) => quote!(PathPart::Key(#k)),
        EndpointPath::Index(i) => {
            let i = Literal::usize_unsuffixed(*i);
            quote!(PathPart::Index(#i))
        }
    });
    quote!(&[#(#parts),*])
}

fn expr(e: &EndpointExpr, slots: &[Ident]) -> TokenStream {
    match e {
        EndpointExpr::Bool(b) => quote!(Expr::Bool(#b)),
        EndpointExpr::Int(i) => {
            let i = Literal::i64_unsuffixed(*i);
            quote!(Expr::Int(#i))
        }
        EndpointExpr::Str(pieces) => {
            let pieces = pieces.iter().map(|p| match p {
                EndpointPiece::Text(t) => quote!(Piece::Text(#t)),
                EndpointPiece::Var(s) => {
                    let s = &slots[*s];
                    quote!(Piece::Var(slot::#s))
                }
                EndpointPiece::Attr(s, parts) => {
                    let s = &slots[*s];
                    let parts = path(parts);
                    quote!(Piece::Attr(slot::#s, #parts))
                }
            });
            quote!(Expr::Str(&[#(#pieces),*]))
        }
        EndpointExpr::Ref(s) => {
            let s = &slots[*s];
            quote!(Expr::Ref(slot::#s))
        }
        EndpointExpr::GetAttr(target, parts) => {
            let target = expr(target, slots);
            let parts = path(parts);
            quote!(Expr::GetAttr(&#target, #parts))
        }
        EndpointExpr::Call(function, args) => {
            let function = ident(function);
            let args = args.iter().map(|a| expr(a, slots));
            quote!(Expr::Call(Function::#function, &[#(#args),*]))
        }
        EndpointExpr::Array(items) => {
            let items = items.iter().map(|a| expr(a, slots));
            quote!(Expr::Array(&[#(#items),*]))
        }
        EndpointExpr::Object(members) => {
            let members = members.iter().map(|(k, v)| {
                let v = expr(v, slots);
                quote!((#k, #v))
            });
            quote!(Expr::Object(&[#(#members),*]))
        }
    }
}

/// The crate's `partitions.rs`: the partition table `aws.partition` reads.
pub(crate) fn emit_partitions_file(partitions: &[Partition]) -> TokenStream {
    let items = partitions.iter().map(|p| {
        let Partition {
            id,
            region_regex,
            regions,
            name,
            dns_suffix,
            dual_stack_dns_suffix,
            supports_fips,
            supports_dual_stack,
            implicit_global_region,
        } = p;
        quote! {
            Partition {
                id: #id,
                region_regex: #region_regex,
                regions: &[#(#regions),*],
                outputs: PartitionOutputs {
                    name: #name,
                    dns_suffix: #dns_suffix,
                    dual_stack_dns_suffix: #dual_stack_dns_suffix,
                    supports_fips: #supports_fips,
                    supports_dual_stack: #supports_dual_stack,
                    implicit_global_region: #implicit_global_region,
                },
            }
        }
    });
    quote! {
        //! The AWS partitions (from `partitions.json`): what `aws.partition`
        //! returns for a region, tried in this order after an exact region match.

        use crate::runtime::endpoint::{Partition, PartitionOutputs};

        /// Every partition, in the order their region patterns are tried.
        pub static PARTITIONS: &[Partition<'static>] = &[#(#items),*];
    }
}
