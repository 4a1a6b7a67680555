//! Behaviour of the code generated from the fixture models. This file is
//! copied into the generated fixture crate (`target/fixture-crate/tests/`)
//! by `tests/tests/fixtures_compile.rs` and run there with `cargo test`.

use std::collections::BTreeMap;

use slim_fixtures::runtime::json::{from_json, to_json};
use slim_fixtures::runtime::{EncodeError, Operation};
use slim_fixtures::{errors, mixins, naming, recursion, shapes};

fn round_trip<T>(value: &T) -> T
where
    T: slim_fixtures::runtime::JsonSerialize + slim_fixtures::runtime::JsonDeserialize,
{
    let text = to_json(value).expect("serializes");
    from_json(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

// ------------------------------------------------------------------ recursion

#[test]
fn recursive_union_round_trips() {
    use recursion::{BinaryExpr, Expr};
    let leaf = |n| Expr::Literal(n);
    // Two required members of one type: passed by name, never swapped.
    let expr = Expr::Add(Box::new(BinaryExpr::new(recursion::required::BinaryExpr {
        left: Expr::Negate(Box::new(leaf(1))),
        right: Expr::Sum(vec![
            leaf(2),
            Expr::Let(BTreeMap::from([("x".to_string(), leaf(3))])),
        ]),
    })));
    assert_eq!(
        to_json(&expr).unwrap(),
        r#"{"Add":{"Left":{"Negate":{"Literal":1}},"Right":{"Sum":[{"Literal":2},{"Let":{"x":{"Literal":3}}}]}}}"#
    );
    assert_eq!(round_trip(&expr), expr);
}

#[test]
fn recursive_structures_round_trip() {
    use recursion::{Directory, Employee, LinkedNode, Tree};
    let chain = LinkedNode::new(1).with_next(LinkedNode::new(2).with_next(LinkedNode::new(3)));
    assert_eq!(round_trip(&chain), chain);
    assert_eq!(chain.next.as_ref().unwrap().next.as_ref().unwrap().value, 3);

    let tree = Tree::new(vec![
        Tree::new(vec![]).with_label("leaf"),
        Tree::new(vec![Tree::new(vec![])]),
    ]);
    assert_eq!(round_trip(&tree), tree);

    let dir = Directory::new("root")
        .with_entries(BTreeMap::from([("etc".to_string(), Directory::new("etc"))]))
        .with_sparse_entries(BTreeMap::from([
            ("bin".to_string(), Some(Directory::new("bin"))),
            ("gone".to_string(), None),
        ]));
    let text = to_json(&dir).unwrap();
    assert!(text.contains(r#""gone":null"#), "{text}");
    assert_eq!(round_trip(&dir), dir);

    let boss = Employee::new("Ada")
        .with_reports(vec![Employee::new("Bob").with_mentor(Employee::new("Cy"))]);
    assert_eq!(round_trip(&boss), boss);
}

#[test]
fn sparse_recursive_list_keeps_nulls() {
    use recursion::JsonValue;
    let value = JsonValue::Array(vec![
        Some(JsonValue::Null),
        None,
        Some(JsonValue::Object(BTreeMap::from([(
            "k".to_string(),
            JsonValue::Bool(true),
        )]))),
    ]);
    assert_eq!(
        to_json(&value).unwrap(),
        r#"{"Array":[{"Null":{}},null,{"Object":{"k":{"Bool":true}}}]}"#
    );
    assert_eq!(round_trip(&value), value);
}

#[test]
fn required_members_missing_from_a_response_are_error_corrected() {
    let out: recursion::EvaluateOutput = from_json(b"{}").unwrap();
    assert_eq!(out.result, recursion::Expr::Unknown(Default::default()));
    assert_eq!(out.chain, recursion::LinkedNode::new(0));
}

// ------------------------------------------------------------------ sensitive data

#[test]
fn debug_redacts_sensitive_values_wherever_they_are() {
    use shapes::{Credentials, SecretChoice, SecretLevel, StoreSecretsInput, Vault};
    let input = StoreSecretsInput::new()
        .with_owner("visible-owner")
        .with_pin(1234)
        .with_password("secret-password")
        .with_passwords(vec!["secret-in-list".to_string()])
        .with_passwords_by_user(BTreeMap::from([(
            "user".to_string(),
            "secret-in-map".to_string(),
        )]))
        .with_credentials(Credentials::new(shapes::required::Credentials {
            user: "secret-user".into(),
            secret: "secret-key".into(),
        }))
        .with_level(SecretLevel::High)
        .with_vault(
            Vault::new()
                .with_name("visible-vault")
                .with_nested(Vault::new().with_keys(vec!["secret-nested".to_string()])),
        )
        .with_choice(SecretChoice::Hidden("secret-choice".into()));
    let debug = format!("{input:?}");
    for secret in ["1234", "secret", "High", "high"] {
        assert!(!debug.contains(secret), "{secret} leaks: {debug}");
    }
    for visible in ["visible-owner", "visible-vault", "Redacted"] {
        assert!(debug.contains(visible), "{visible} missing: {debug}");
    }
    assert_eq!(
        format!("{:?}", SecretChoice::Plain("shown".into())),
        r#"Plain("shown")"#
    );
    // Redaction is for Debug only: the wire carries the values.
    let json = to_json(&input).unwrap();
    assert!(
        json.contains("secret-nested") && json.contains(r#""Level":"high""#),
        "{json}"
    );
}

// ------------------------------------------------------------------ open enums and unions

#[test]
fn unknown_enum_values_survive_a_round_trip() {
    use shapes::{Color, Everything, Figure, Inner, Priority};
    // A string and an open enum are both required: passed by name.
    let value = Everything::new(shapes::required::Everything {
        required: "r".into(),
        required_inner: Inner::new("l", 1.5, vec![]),
        required_figure: Figure::Nothing,
        required_color: "purple".into(),
    })
        .with_priority(42)
        .with_client_optional(7)
        .with_color(Color::DarkGreen)
        .with_size("xl.2");
    assert_eq!(value.required_color, Color::from("purple"));
    assert_eq!(value.required_color.as_str(), "purple");
    assert!(matches!(value.required_color, Color::Unknown(_)));
    assert_eq!(value.priority, Some(Priority::from(42)));
    assert_eq!(value.size.as_ref().map(|s| s.as_str()), Some("xl.2"));
    let back = round_trip(&value);
    assert_eq!(back, value);
    assert_eq!(back.priority.unwrap().value(), 42);
    let json = to_json(&value).unwrap();
    assert!(
        json.contains(r#""RequiredColor":"purple""#) && json.contains(r#""Color":"dark-green""#),
        "{json}"
    );
}

#[test]
fn unknown_union_members_are_kept_in_json_and_never_sent() {
    use shapes::Figure;
    let wire = r#"{"Hexagon":{"Side":2,"Tags":["a",null]}}"#;
    let figure: Figure = from_json(wire.as_bytes()).unwrap();
    let Figure::Unknown(member) = &figure else {
        panic!("expected Unknown, got {figure:?}");
    };
    assert_eq!(member.name(), "Hexagon");
    // Written back as read, so a saved value round-trips ...
    assert_eq!(to_json(&figure).unwrap(), wire);
    assert_eq!(from_json::<Figure>(wire.as_bytes()).unwrap(), figure);
    // ... its value stays out of `Debug` (its sensitivity is unknown) ...
    let debug = format!("{figure:?}");
    assert!(debug.contains("Hexagon") && !debug.contains("Side"), "{debug}");
    // ... and it is never sent to a service.
    let input = shapes::PutEverythingInput::new()
        .with_everything(
            shapes::Everything::new(shapes::required::Everything {
                required: "x".into(),
                required_inner: shapes::Inner::new("l", 1.0, Vec::<String>::new()),
                required_figure: Figure::Nothing,
                required_color: shapes::Color::Red,
            })
            .with_client_optional(1),
        )
        .with_count(1)
        .with_shape(figure.clone());
    let sent = shapes::PutEverything::build_request(&input);
    assert!(
        matches!(sent, Err(EncodeError::UnknownUnionVariant { .. })),
        "{sent:?}"
    );
    // The placeholder of a union that held no member cannot be written.
    assert!(matches!(
        to_json(&Figure::Unknown(Default::default())),
        Err(EncodeError::UnknownUnionVariant { .. })
    ));
    let unit: Figure = from_json(br#"{"Nothing":{}}"#).unwrap();
    assert_eq!(unit, Figure::Nothing);
    assert!(from_json::<Figure>(br#"{"Square":1,"Label":"x"}"#).is_err());
}

// ------------------------------------------------------------------ defaults and requests

#[test]
fn defaults_fill_fresh_values_and_missing_members() {
    use shapes::{Color, Defaults, Priority};
    let d = Defaults::new();
    assert!(d.flag);
    assert_eq!(d.text, "hello \"world\"");
    assert_eq!(d.bytes.as_bytes(), b"hi");
    assert_eq!(
        (d.tiny, d.small, d.medium, d.large),
        (-8, 300, -70000, 9007199254740993)
    );
    assert_eq!((d.ratio, d.precise, d.whole_double), (0.5, -1.25, 2.0));
    assert_eq!(d.huge.as_str(), "12345678901234567890");
    assert_eq!(d.exact.as_str(), "1.5");
    assert_eq!(d.when.secs(), 1_700_000_000);
    assert_eq!(d.when_fraction.as_millis(), 1250);
    assert_eq!(
        (d.color.clone(), d.priority),
        (Color::Red, Priority::Medium)
    );
    assert_eq!(d.size.as_str(), "L");
    assert_eq!(d.null_default, None);
    assert_eq!(from_json::<Defaults>(b"{}").unwrap(), d);
    let out: shapes::GetDefaultsOutput = from_json(b"{}").unwrap();
    assert_eq!(out.defaults, d);
}

#[test]
fn requests_fill_idempotency_tokens_and_check_required_members() {
    use shapes::{Color, Everything, Figure, Inner, PutEverything, PutEverythingInput};
    let missing = PutEverything::build_request(&PutEverythingInput::new());
    assert!(
        matches!(missing, Err(EncodeError::MissingRequired { .. })),
        "{missing:?}"
    );
    let input = PutEverythingInput::new()
        .with_count(3)
        .with_everything(Everything::new(shapes::required::Everything {
            required: "r".into(),
            required_inner: Inner::new("l", 0.0, vec![]),
            required_figure: Figure::Square(2.0),
            required_color: Color::Blue,
        }));
    // `@required @clientOptional`: an `Option`, but checked before sending.
    assert_eq!(
        PutEverything::build_request(&input),
        Err(EncodeError::MissingRequired {
            shape: "Everything",
            member: "ClientOptional"
        })
    );
    let mut input = input;
    input.everything.as_mut().unwrap().client_optional = Some(1);
    let req = PutEverything::build_request(&input).unwrap();
    assert_eq!(
        req.header("X-Amz-Target"),
        Some("ShapesService.PutEverything")
    );
    assert_eq!(
        req.header("Content-Type"),
        Some("application/x-amz-json-1.1")
    );
    let body = req.body_str().unwrap();
    assert!(body.contains(r#""ClientToken":""#), "{body}");
    let ping = shapes::Ping::build_request(&()).unwrap();
    assert_eq!(ping.body_str(), Some("{}"));
    assert_eq!(<shapes::Pong as Operation>::NAME, "Pong");
}

// ------------------------------------------------------------------ errors

#[test]
fn modeled_errors_are_parsed_by_code() {
    use errors::{Transfer, TransferError};
    let body = br#"{"__type":"fixture.errors#InsufficientFunds","message":"too poor","Balance":5}"#;
    match Transfer::parse_response(402, &slim_fixtures::runtime::NO_HEADERS, body) {
        Err(TransferError::InsufficientFunds(e)) => {
            assert_eq!(e.balance, 5);
            assert_eq!(e.message(), Some("too poor"));
            assert_eq!(errors::InsufficientFunds::HTTP_STATUS, 402);
        }
        other => panic!("{other:?}"),
    }
    let body = br#"{"__type":"AccountNotFoundFault","Message":"no such account"}"#;
    let err = Transfer::parse_response(404, &slim_fixtures::runtime::NO_HEADERS, body).unwrap_err();
    assert_eq!(err.code(), Some("AccountNotFoundFault"));
    assert_eq!(err.message(), Some("no such account"));
    assert_eq!(err.to_string(), "AccountNotFoundFault: no such account");
    // A service-level error, listed for every operation.
    let err = errors::Noop::parse_response(
        429,
        &[("X-Amzn-ErrorType", "ThrottlingException:http://x")],
        b"{}",
    )
    .unwrap_err();
    assert!(
        matches!(err, errors::NoopError::ThrottlingException(_)),
        "{err:?}"
    );
    let err =
        errors::Audit::parse_response(500, &slim_fixtures::runtime::NO_HEADERS, br#"{"__type":"InternalFailure"}"#).unwrap_err();
    assert!(
        matches!(err, errors::AuditError::InternalFailure(_)),
        "{err:?}"
    );
    assert_eq!(
        errors::InternalFailure::FAULT,
        slim_fixtures::runtime::Fault::Server
    );
    // A modeled error called `Unhandled` moves aside for the catch-all.
    let err = errors::Audit::parse_response(502, &slim_fixtures::runtime::NO_HEADERS, br#"{"__type":"Unhandled","message":"m"}"#)
        .unwrap_err();
    assert!(
        matches!(err, errors::AuditError::UnhandledError(_)),
        "{err:?}"
    );
    // Not modeled for this operation.
    let err =
        errors::Audit::parse_response(402, &slim_fixtures::runtime::NO_HEADERS, br#"{"__type":"InsufficientFunds"}"#).unwrap_err();
    assert!(matches!(err, errors::AuditError::Unhandled(_)), "{err:?}");
    assert_eq!(err.code(), Some("InsufficientFunds"));
}

#[test]
fn modeled_errors_keep_the_message_whatever_their_members() {
    use slim_fixtures::runtime::ErrorMetadata;
    // No members at all: the message the service sent is still there.
    let body = br#"{"__type":"InternalFailure","message":"try again later"}"#;
    let err = errors::Audit::parse_response(500, &[("x-amzn-RequestId", "r-9")], body).unwrap_err();
    match &err {
        errors::AuditError::InternalFailure(e) => {
            assert_eq!(e.message(), Some("try again later"));
            assert_eq!(ErrorMetadata::message(e), Some("try again later"));
            assert!(format!("{e:?}").contains("try again later"));
            // Metadata, like the request id: not part of equality.
            assert_eq!(*e, errors::InternalFailure::new());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.message(), Some("try again later"));
    assert_eq!(err.to_string(), "InternalFailure: try again later");
    // A shape with a `Code` member of its own (a sub-code): `__type` names
    // the error, the member keeps its value, the message is kept.
    let body = br#"{"__type":"InvalidAmount","Code":"TooSmall","Message":"amount too small"}"#;
    match errors::Transfer::parse_response(400, &slim_fixtures::runtime::NO_HEADERS, body).unwrap_err() {
        errors::TransferError::InvalidAmount(e) => {
            assert_eq!(e.code.as_deref(), Some("TooSmall"));
            assert_eq!(e.message(), Some("amount too small"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn operation_mixins_contribute_errors() {
    let body = br#"{"__type":"GardenNotFound","message":"no garden"}"#;
    let err = mixins::GetGarden::parse_response(404, &slim_fixtures::runtime::NO_HEADERS, body).unwrap_err();
    assert!(
        matches!(err, mixins::GetGardenError::GardenNotFound(_)),
        "{err:?}"
    );
}

// ------------------------------------------------------------------ naming

#[test]
fn awkward_names_are_usable() {
    let k = naming::Keywords::new()
        .with_type("t")
        .with_self("s")
        .with_crate("c")
        .with_async("a")
        .with_static(vec!["x".to_string()]);
    assert_eq!(k.r#type.as_deref(), Some("t"));
    assert_eq!(k.r#static(), ["x"]);
    let json = to_json(&k).unwrap();
    assert_eq!(
        json,
        r#"{"type":"t","self":"s","crate":"c","async":"a","static":["x"]}"#
    );
    assert_eq!(round_trip(&k), k);

    let result = naming::Result::new(naming::Ok::new("fine")).with_err(naming::Err::UnknownValue);
    assert_eq!(result.err.as_ref().map(|e| e.as_str()), Some("unknown"));
    assert_eq!(round_trip(&result), result);
    let other = naming::OtherConfig::new().with_inner(naming::Config::new());
    assert_eq!(round_trip(&other), other);
    let v = naming::Vec::new()
        .with_foo("f")
        .with_with_foo(vec!["g".to_string()]);
    assert_eq!(
        (v.foo.as_deref(), v.with_foo.as_deref()),
        (Some("f"), Some(&["g".to_string()][..]))
    );
    assert_eq!(
        naming::Default::UnknownValue("x".into()),
        round_trip(&naming::Default::UnknownValue("x".into()))
    );
    assert_eq!(
        to_json(&naming::Default::UnknownValue("x".into())).unwrap(),
        r#"{"Unknown":"x"}"#
    );
}

// ------------------------------------------------------------------ endpoints

#[test]
fn endpoint_params_take_the_rule_set_defaults() {
    use slim_fixtures::endpoints::endpoint::Params;
    let p = Params::default();
    assert_eq!(p.stage, "prod");
    assert!(p.use_cells);
    assert!(!p.use_fips);
    assert_eq!((p.region.as_deref(), p.keys.as_deref()), (None, None));
    let err = p.resolve().unwrap_err();
    assert_eq!(err.message(), "Invalid Configuration: Missing Region");
}

#[test]
fn operations_hand_their_context_params_to_the_resolver() {
    use slim_fixtures::endpoints::{
        endpoint::Params, ListThings, ListThingsInput, PutThing, PutThingInput, Tier,
    };
    use slim_fixtures::runtime::endpoint::Value;
    let input = PutThingInput::new("my-bucket")
        .with_versioned(true)
        .with_tier(Tier::Cold);
    let params = PutThing::endpoint_params(&input);
    assert_eq!(
        params,
        [
            ("Stage", Value::str("beta")),
            ("Bucket", Value::str("my-bucket")),
            ("Versioned", Value::Bool(true)),
            ("Tier", Value::str("cold")),
        ]
    );
    // Unset members stay unset.
    let bare_input = PutThingInput::new("b");
    let bare = PutThing::endpoint_params(&bare_input);
    assert_eq!(bare[2], ("Versioned", Value::None));
    let list = ListThingsInput::new().with_keys(vec!["k1".into(), "k2".into()]);
    assert_eq!(
        ListThings::endpoint_params(&list),
        [("Keys", Value::Array(vec![Value::str("k1"), Value::str("k2")]))]
    );
    // The typed parameters resolve the same rules.
    let e = Params {
        region: Some("eu-west-1".into()),
        bucket: Some("my-bucket".into()),
        tier: Some("cold".into()),
        stage: "beta".into(),
        ..Params::default()
    }
    .resolve()
    .unwrap();
    assert_eq!(e.url, "https://my-bucket.beta.storage.eu-west-1.amazonaws.com");
    assert_eq!(e.headers, [("x-tier".to_string(), vec!["cold".to_string()])]);
    let e = Params {
        region: Some("cn-north-1".into()),
        keys: Some(vec!["first".into()]),
        ..Params::default()
    }
    .resolve()
    .unwrap();
    assert_eq!(e.url, "https://first.storage.cn-north-1.amazonaws.com.cn");
}

// ------------------------------------------------------ paginators and waiters

mod scripted {
    //! An in-process transport answering from a queue of bodies (a body
    //! starting with `!` is a 400 error of that code) and recording each
    //! request body; and a clock whose sleep moves time.
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, SystemTime};

    use slim_fixtures::runtime::client::{
        Clock, Config, Credentials, HttpTransport, TransportError, TransportRequest,
        TransportResponse,
    };

    #[derive(Debug, Default)]
    pub struct Script {
        pub answers: Mutex<VecDeque<String>>,
        pub bodies: Mutex<Vec<String>>,
    }

    #[derive(Debug)]
    pub struct Transport(pub Arc<Script>);

    impl HttpTransport for Transport {
        fn send(&self, r: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
            self.0.bodies.lock().unwrap().push(String::from_utf8_lossy(r.body).into_owned());
            let answer = self.0.answers.lock().unwrap().pop_front().expect("a scripted answer");
            let (status, body) = match answer.strip_prefix('!') {
                Some(code) => (400, format!(r#"{{"__type":"{code}","message":"scripted"}}"#)),
                None => (200, answer),
            };
            Ok(TransportResponse {
                status,
                headers: vec![("Content-Type".into(), "application/x-amz-json-1.1".into())],
                body: body.into_bytes(),
            })
        }
    }

    #[derive(Debug, Clone)]
    pub struct TestClock(pub Arc<Mutex<SystemTime>>, pub Arc<Mutex<Vec<Duration>>>);

    impl Clock for TestClock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
        fn sleep(&self, d: Duration) {
            self.1.lock().unwrap().push(d);
            *self.0.lock().unwrap() += d;
        }
    }

    /// A client on the script, with its clock's recorded sleeps.
    pub fn client(answers: &[&str]) -> (slim_fixtures::pagination::client::Client, Arc<Script>, TestClock) {
        let script = Arc::new(Script::default());
        script
            .answers
            .lock()
            .unwrap()
            .extend(answers.iter().map(|s| s.to_string()));
        let clock = TestClock(
            Arc::new(Mutex::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))),
            Arc::default(),
        );
        let config = Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AK", "secret"))
            .endpoint_url("http://127.0.0.1:9")
            .transport(Transport(script.clone()))
            .clock(clock.clone())
            .build()
            .unwrap();
        (slim_fixtures::pagination::client::Client::new(config), script, clock)
    }
}

#[test]
fn a_paginator_follows_top_level_tokens_and_collects_items() {
    use slim_fixtures::pagination::ListThingsInput;
    let (client, script, _) = scripted::client(&[
        r#"{"Things":[{"Name":"a"},{"Name":"b"}],"NextToken":"t1"}"#,
        r#"{"Things":[],"NextToken":"t2"}"#,
        r#"{"Things":[{"Name":"c"}],"NextToken":""}"#,
    ]);
    let names: Vec<String> = client
        .list_things_pages(ListThingsInput::new())
        .page_size(2)
        .items()
        .map(|t| t.unwrap().name.unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c"], "an empty token ends the iteration");
    let bodies = script.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 3);
    assert!(bodies[0].contains(r#""MaxResults":2"#) && !bodies[0].contains("NextToken"), "{}", bodies[0]);
    assert!(bodies[1].contains(r#""NextToken":"t1""#), "{}", bodies[1]);
    assert!(bodies[2].contains(r#""NextToken":"t2""#), "{}", bodies[2]);
}

#[test]
fn a_paginator_follows_nested_tokens_and_stops_on_a_repeated_one() {
    use slim_fixtures::pagination::{ListNestedInput, ListThingsInput};
    use slim_fixtures::runtime::client::SdkError;
    let (client, script, _) = scripted::client(&[
        r#"{"Page":{"Entries":["x","y"],"Next":"m1"}}"#,
        r#"{"Page":{"Entries":["z"]}}"#,
    ]);
    let items: Vec<String> = client
        .list_nested_pages(ListNestedInput::new())
        .page_size(5)
        .items()
        .map(Result::unwrap)
        .collect();
    assert_eq!(items, ["x", "y", "z"], "an absent token ends the iteration");
    let bodies = script.bodies.lock().unwrap().clone();
    assert!(bodies[0].contains(r#""Limit":5"#) && bodies[1].contains(r#""Marker":"m1""#), "{bodies:?}");

    // A page without items (ListBare): pages are the items; the service
    // repeats the token it was sent: one error, then the end.
    let (client, _, _) = scripted::client(&[
        r#"{"NextToken":"same"}"#,
        r#"{"NextToken":"same"}"#,
    ]);
    let pages: Vec<_> = client.list_bare_pages(ListThingsInput::new()).collect();
    assert_eq!(pages.len(), 3, "two pages and the error");
    assert!(pages[0].is_ok() && pages[1].is_ok());
    assert!(matches!(&pages[2], Err(SdkError::RepeatedToken { token }) if token == "same"), "{:?}", pages[2]);
    // An error ends a paginator after yielding it.
    let (client, _, _) = scripted::client(&[r#"{"NextToken":"t"}"#, "!ThrottledNope"]);
    let pages: Vec<_> = client.list_things_pages(ListThingsInput::new()).collect();
    assert_eq!(pages.len(), 2);
    assert!(pages[1].is_err());
}

#[test]
fn map_tokens_map_items_sparse_items_and_long_page_sizes() {
    use slim_fixtures::pagination::{GetUsageInput, ListThingsInput, ScanItemsInput, Value};
    use slim_fixtures::runtime::client::SdkError;
    use std::collections::BTreeMap;
    // A map token (DynamoDB's keys): sent back as it came, compared by value.
    let (client, script, _) = scripted::client(&[
        r#"{"Items":[{"k":{"S":"a"}}],"LastEvaluatedKey":{"k":{"S":"a"}}}"#,
        r#"{"Items":[{"k":{"S":"b"}}],"LastEvaluatedKey":{"k":{"S":"b"}}}"#,
        r#"{"Items":[{"k":{"S":"c"}}]}"#,
    ]);
    let items: Vec<BTreeMap<String, Value>> = client
        .scan_items_pages(ScanItemsInput::new("t"))
        .page_size(25)
        .items()
        .map(Result::unwrap)
        .collect();
    assert_eq!(items.len(), 3);
    assert_eq!(items[2]["k"], Value::S("c".into()));
    let bodies = script.bodies.lock().unwrap().clone();
    assert!(bodies[0].contains(r#""Limit":25"#) && !bodies[0].contains("ExclusiveStartKey"), "{}", bodies[0]);
    assert!(bodies[1].contains(r#""ExclusiveStartKey":{"k":{"S":"a"}}"#), "{}", bodies[1]);
    assert!(bodies[2].contains(r#""ExclusiveStartKey":{"k":{"S":"b"}}"#), "{}", bodies[2]);
    // The same key again (by value, whatever the member order): an error.
    let (client, _, _) = scripted::client(&[
        r#"{"LastEvaluatedKey":{"a":{"S":"1"},"b":{"N":"2"}}}"#,
        r#"{"LastEvaluatedKey":{"b":{"N":"2"},"a":{"S":"1"}}}"#,
    ]);
    let pages: Vec<_> = client.scan_items_pages(ScanItemsInput::new("t")).collect();
    assert_eq!(pages.len(), 3);
    assert!(matches!(&pages[2], Err(SdkError::RepeatedToken { token }) if token.contains("\"a\"")), "{:?}", pages[2]);
    // An empty map ends the iteration.
    let (client, _, _) = scripted::client(&[r#"{"Items":[],"LastEvaluatedKey":{}}"#]);
    assert_eq!(client.scan_items_pages(ScanItemsInput::new("t")).count(), 1);
    // Map items are the map's entries; a short page size saturates.
    let (client, script, _) = scripted::client(&[
        r#"{"items":{"k1":[1,2]},"position":"p"}"#,
        r#"{"items":{"k2":[3]}}"#,
    ]);
    let entries: Vec<(String, Vec<i64>)> = client
        .get_usage_pages(GetUsageInput::new())
        .page_size(100_000)
        .items()
        .map(Result::unwrap)
        .collect();
    assert_eq!(entries, [("k1".into(), vec![1, 2]), ("k2".into(), vec![3])]);
    assert!(script.bodies.lock().unwrap()[0].contains(r#""limit":32767"#));
    // Sparse items keep their nulls.
    let (client, _, _) = scripted::client(&[r#"{"Names":["a",null,"b"]}"#]);
    let names: Vec<Option<String>> = client
        .list_sparse_pages(ListThingsInput::new())
        .items()
        .map(Result::unwrap)
        .collect();
    assert_eq!(names, [Some("a".into()), None, Some("b".into())]);
}

#[test]
fn waiters_evaluate_the_whole_jmespath_language() {
    use slim_fixtures::pagination::DescribeGroupsInput;
    use slim_fixtures::runtime::client::WaiterError;
    use std::time::Duration;
    let input = DescribeGroupsInput::new();
    // Auto Scaling's GroupInService: a multi-select list in a projection,
    // a filter, a comparison, a flatten and `contains`.
    let (client, script, _) = scripted::client(&[
        r#"{"Groups":[{"MinSize":2,"Instances":[{"LifecycleState":"InService"},{"LifecycleState":"Pending"}]}]}"#,
        r#"{"Groups":[{"MinSize":2,"Instances":[{"LifecycleState":"InService"},{"LifecycleState":"InService"}]},
                      {"MinSize":0,"Instances":[]}]}"#,
    ]);
    assert!(client.wait_until_group_in_service(&input, Duration::from_secs(60)).is_ok());
    assert_eq!(script.bodies.lock().unwrap().len(), 2, "retried once");
    // SES's IdentityExists: an object projection.
    let (client, script, _) = scripted::client(&[
        r#"{"Attributes":{"a@x":{"Status":"Success"},"b@x":{"Status":"Pending"}}}"#,
        r#"{"Attributes":{"a@x":{"Status":"Success"},"b@x":{"Status":"Success"}}}"#,
    ]);
    assert!(client.wait_until_all_verified(&input, Duration::from_secs(60)).is_ok());
    assert_eq!(script.bodies.lock().unwrap().len(), 2);
    // sort_by with an expression reference, a negative index, pipes,
    // to_string, join; max, starts_with, keys, `||`.
    let (client, _, _) = scripted::client(&[
        r#"{"Groups":[{"Name":"big","MinSize":5},{"Name":"small","MinSize":1}]}"#,
    ]);
    assert!(client.wait_until_newest_ready(&input, Duration::from_secs(60)).is_ok());
    let (client, _, _) = scripted::client(&[
        r#"{"Groups":[{"Name":"small","MinSize":1}],"Attributes":{"bad-one":{}}}"#,
    ]);
    assert!(matches!(
        client.wait_until_newest_ready(&input, Duration::from_secs(60)),
        Err(WaiterError::Failure { .. })
    ));
}

#[test]
fn waiters_reach_success_failure_unexpected_errors_and_timeouts() {
    use slim_fixtures::pagination::GetThingInput;
    use slim_fixtures::runtime::client::{FinalPoll, WaiterError};
    use std::time::Duration;
    let input = GetThingInput::new("t1");
    // Retry on NotFound and on a pending status, then success.
    let (client, script, clock) = scripted::client(&[
        "!NotFound",
        r#"{"Thing":{"Name":"t1","Status":"pending"}}"#,
        r#"{"Thing":{"Name":"t1","Status":"ready"}}"#,
    ]);
    let done = client
        .wait_until_thing_ready(&input, Duration::from_secs(600))
        .unwrap();
    let FinalPoll::Output(out) = done else { panic!("an output") };
    assert_eq!(out.thing.unwrap().name.as_deref(), Some("t1"));
    assert_eq!(script.bodies.lock().unwrap().len(), 3);
    let sleeps = clock.1.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 2);
    assert_eq!(sleeps[0], Duration::from_secs(2), "first retry: minDelay");
    assert!(sleeps[1] >= Duration::from_secs(2) && sleeps[1] <= Duration::from_secs(4), "{sleeps:?}");

    // A failure acceptor: the output that matched.
    let (client, _, _) = scripted::client(&[r#"{"Thing":{"Status":"failed"}}"#]);
    match client.wait_until_thing_ready(&input, Duration::from_secs(60)) {
        Err(WaiterError::Failure { waiter, output: Some(out), error: None }) => {
            assert_eq!(waiter, "ThingReady");
            assert!(out.thing.is_some());
        }
        other => panic!("{other:?}"),
    }
    // An error no acceptor expects stops the waiter.
    let (client, _, _) = scripted::client(&["!AccessDenied"]);
    match client.wait_until_thing_ready(&input, Duration::from_secs(60)) {
        Err(WaiterError::Unexpected { error, .. }) => assert_eq!(error.code(), Some("AccessDenied")),
        other => panic!("{other:?}"),
    }
    // An error acceptor with the success state.
    let (client, _, _) = scripted::client(&[r#"{"Thing":{}}"#, "!NotFound"]);
    let done = client.wait_until_thing_gone(&input, Duration::from_secs(60)).unwrap();
    assert!(matches!(done, FinalPoll::Error(ref e) if e.code() == Some("NotFound")));
    // The maximum wait: 1 s between polls (minDelay = maxDelay = 1), 3 s in all.
    let pending = r#"{"Parts":[{"Status":"ready"},{"Status":"pending"}]}"#;
    let (client, script, clock) = scripted::client(&[pending; 10]);
    match client.wait_until_parts_ready(&input, Duration::from_secs(3)) {
        Err(WaiterError::Timeout { attempts, waited, .. }) => {
            assert_eq!(waited, Duration::from_secs(3));
            assert_eq!(attempts as usize, script.bodies.lock().unwrap().len());
        }
        other => panic!("{other:?}"),
    }
    // 1 s, then the last 2 s at once (what would remain is not more than minDelay).
    assert_eq!(
        clock.1.lock().unwrap().clone(),
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
    // allStringEquals / anyStringEquals over a projection.
    let (client, _, _) = scripted::client(&[r#"{"Parts":[{"Status":"ready"},{"Status":"failed"}]}"#]);
    assert!(matches!(
        client.wait_until_parts_ready(&input, Duration::from_secs(3)),
        Err(WaiterError::Failure { .. })
    ));
    let (client, _, _) = scripted::client(&[r#"{"Parts":[{"Status":"ready"},{"Status":"ready"}]}"#]);
    assert!(client.wait_until_parts_ready(&input, Duration::from_secs(3)).is_ok());
    // inputOutput with a filter, length, a comparison and &&.
    let (client, _, _) = scripted::client(&[
        r#"{"Thing":{"Name":"other"},"Parts":[{"Status":"ready"},{"Status":"ready"}]}"#,
        r#"{"Thing":{"Name":"t1"},"Parts":[{"Status":"ready"},{"Status":"pending"}]}"#,
        r#"{"Thing":{"Name":"t1"},"Parts":[{"Status":"ready"},{"Status":"ready"},{"Status":"failed"}]}"#,
    ]);
    assert!(client.wait_until_many_ready(&input, Duration::from_secs(600)).is_ok());
}

// ------------------------------------------------------ event streams (awsJson)

mod event_streams {
    use std::io::{Read, Write};
    use std::time::Duration;

    use slim_fixtures::events::{FeedEventStream, SubscribeToFeed, SubscribeToFeedError, SubscribeToFeedInput};
    use slim_fixtures::runtime::eventstream::EventStreamError;
    use slim_fixtures::runtime::gzip::crc32;
    use slim_fixtures::runtime::{ByteStream, Operation};

    /// A header value as the framing writes it.
    enum H<'a> {
        Str(&'a str),
        Int(i32),
    }

    /// One message with `headers` and `payload`.
    fn message(headers: &[(&str, H<'_>)], payload: &[u8]) -> Vec<u8> {
        let mut h = Vec::new();
        for (name, value) in headers {
            h.push(u8::try_from(name.len()).unwrap());
            h.extend_from_slice(name.as_bytes());
            match value {
                H::Str(s) => {
                    h.push(7);
                    h.extend_from_slice(&u16::try_from(s.len()).unwrap().to_be_bytes());
                    h.extend_from_slice(s.as_bytes());
                }
                H::Int(i) => {
                    h.push(4);
                    h.extend_from_slice(&i.to_be_bytes());
                }
            }
        }
        let total = u32::try_from(16 + h.len() + payload.len()).unwrap();
        let mut out = total.to_be_bytes().to_vec();
        out.extend_from_slice(&u32::try_from(h.len()).unwrap().to_be_bytes());
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(payload);
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }

    fn event(ty: &str, extra: &[(&str, H<'_>)], payload: &[u8]) -> Vec<u8> {
        let mut headers = vec![(":message-type", H::Str("event")), (":event-type", H::Str(ty))];
        headers.extend(extra.iter().map(|(n, v)| {
            (*n, match v {
                H::Str(s) => H::Str(s),
                H::Int(i) => H::Int(*i),
            })
        }));
        message(&headers, payload)
    }

    /// A reader handing out `chunk` bytes per read.
    struct Trickle(Vec<u8>, usize, usize);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.2.min(buf.len()).min(self.0.len() - self.1);
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }

    /// The initial response (skipped), one event of each kind, an unknown
    /// event type, then a modeled exception.
    fn feed() -> Vec<u8> {
        let mut body = event("initial-response", &[], b"{}");
        body.extend(event("Record", &[], br#"{"Data":"aGk=","Sequence":7,"At":1700000000}"#));
        body.extend(event("Tick", &[("Count", H::Int(3)), ("Label", H::Str("third"))], b""));
        body.extend(event("Raw", &[], b"\x00\x01raw"));
        body.extend(event("Future", &[], b"{}"));
        body.extend(message(
            &[(":message-type", H::Str("exception")), (":exception-type", H::Str("FeedGone"))],
            br#"{"Message":"closed"}"#,
        ));
        body
    }

    #[test]
    fn aws_json_event_streams_decode_from_a_live_body() {
        for chunk in [1, 7, 64, 1 << 20] {
            let body = ByteStream::from_reader(Trickle(feed(), 0, chunk));
            let out = <SubscribeToFeed as Operation>::parse_streaming_response(200, &[("Content-Type", "application/vnd.amazon.eventstream")], body)
                .expect("the output");
            let events: Vec<_> = out.event_stream.collect();
            assert_eq!(events.len(), 5, "chunks of {chunk}: {events:?}");
            match &events[0] {
                Ok(FeedEventStream::Record(r)) => {
                    assert_eq!(r.data.as_ref().map(|b| b.as_bytes()), Some(&b"hi"[..]));
                    assert_eq!(r.sequence, Some(7));
                    assert_eq!(r.at.map(|t| t.secs()), Some(1_700_000_000));
                }
                other => panic!("expected a record, got {other:?}"),
            }
            match &events[1] {
                Ok(FeedEventStream::Tick(t)) => {
                    assert_eq!((t.count, t.label.as_deref()), (Some(3), Some("third")));
                }
                other => panic!("expected a tick, got {other:?}"),
            }
            match &events[2] {
                Ok(FeedEventStream::Raw(r)) => {
                    assert_eq!(r.bytes.as_ref().map(|b| b.as_bytes()), Some(&b"\x00\x01raw"[..]));
                }
                other => panic!("expected raw bytes, got {other:?}"),
            }
            assert!(matches!(&events[3], Ok(FeedEventStream::Unknown(_))), "{:?}", events[3]);
            match &events[4] {
                Err(EventStreamError::Modeled(FeedEventStream::FeedGone(e))) => {
                    assert_eq!(e.message.as_deref(), Some("closed"));
                }
                other => panic!("expected the modeled error, got {other:?}"),
            }
        }
    }

    #[test]
    fn an_error_status_of_a_streaming_operation_is_a_modeled_error() {
        let body = ByteStream::from_bytes(br#"{"__type":"FeedNotFound","message":"no such feed"}"#.to_vec());
        let err = <SubscribeToFeed as Operation>::parse_streaming_response(400, &[("Content-Type", "application/x-amz-json-1.1")], body)
            .unwrap_err();
        assert!(matches!(&err, SubscribeToFeedError::FeedNotFound(_)), "{err:?}");
        assert_eq!(err.message(), Some("no such feed"));
        // A body that breaks off is an unhandled error naming why.
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset"))
            }
        }
        let err = <SubscribeToFeed as Operation>::parse_streaming_response(500, &[("x-amzn-RequestId", "r-1")], ByteStream::from_reader(Broken))
            .unwrap_err();
        assert!(matches!(&err, SubscribeToFeedError::Unhandled(_)), "{err:?}");
        assert_eq!(err.request_id(), Some("r-1"));
        assert!(format!("{err:?}").contains("reset"), "{err:?}");
    }

    #[test]
    fn the_server_side_leaves_streaming_operations_out() {
        use slim_fixtures::events::ServiceRequest;
        assert_eq!(ServiceRequest::OPERATIONS, ["DescribeFeed"]);
        let headers = [
            ("X-Amz-Target", "FeedService.SubscribeToFeed"),
            ("Content-Type", "application/x-amz-json-1.1"),
        ];
        assert!(ServiceRequest::from_http("POST", &headers, br#"{"FeedId":"f"}"#).is_err());
    }

    /// The blocking client gets the first event while the server holds the
    /// rest back until told (bounded: one connection, 20 s).
    #[test]
    fn the_client_delivers_events_as_they_arrive() {
        use slim_fixtures::events::client::Client;
        use slim_fixtures::runtime::client::{Config, Credentials};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().unwrap().port();
        let (go, gate) = std::sync::mpsc::channel::<()>();
        let first = [event("initial-response", &[], b"{}"), event("Tick", &[("Count", H::Int(1))], b"")].concat();
        let rest = event("Tick", &[("Count", H::Int(2))], b"");
        let server = std::thread::spawn(move || {
            listener.set_nonblocking(true).unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            let mut stream = loop {
                match listener.accept() {
                    Ok((s, _)) => break s,
                    Err(_) if std::time::Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                    Err(e) => panic!("no request within 20 s: {e}"),
                }
            };
            stream.set_nonblocking(false).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
                if stream.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                first.len() + rest.len()
            );
            stream.write_all(response.as_bytes()).unwrap();
            stream.write_all(&first).unwrap();
            stream.flush().unwrap();
            let told = gate.recv_timeout(Duration::from_secs(10)).is_ok();
            let _ = stream.write_all(&rest);
            (String::from_utf8_lossy(&head).into_owned(), told)
        });
        let client = Client::new(
            Config::builder()
                .region("us-east-1")
                .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
                .endpoint_url(format!("http://127.0.0.1:{port}"))
                .build()
                .expect("a valid configuration"),
        );
        let mut out = client
            .subscribe_to_feed(&SubscribeToFeedInput::new().with_feed_id("feed-1"))
            .expect("SubscribeToFeed");
        match out.event_stream.next_event() {
            Some(Ok(FeedEventStream::Tick(t))) => assert_eq!(t.count, Some(1)),
            other => panic!("expected the first tick, got {other:?}"),
        }
        go.send(()).expect("the server waits");
        match out.event_stream.next_event() {
            Some(Ok(FeedEventStream::Tick(t))) => assert_eq!(t.count, Some(2)),
            other => panic!("expected the second tick, got {other:?}"),
        }
        assert!(out.event_stream.next_event().is_none());
        let (head, told) = server.join().expect("the server thread");
        assert!(told, "the server sent the rest only when told");
        let head = head.to_ascii_lowercase();
        assert!(head.contains("x-amz-target: feedservice.subscribetofeed"), "{head}");
        assert!(head.contains("authorization: aws4-hmac-sha256"), "{head}");
    }

    /// An error body of a streaming operation that drips one byte a
    /// second: the blocking client gives up at the attempt timeout (each
    /// read is bounded by the transport, the whole by the attempt), and the
    /// server closes the connection when the client hangs up (bounded: one
    /// connection, 20 s).
    #[test]
    fn a_dripping_error_body_is_bounded_by_the_attempt_timeout() {
        use slim_fixtures::events::client::Client;
        use slim_fixtures::runtime::client::retry::RetryConfig;
        use slim_fixtures::runtime::client::{Config, Credentials, SdkError, Timeouts};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            listener.set_nonblocking(true).unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            let mut stream = loop {
                match listener.accept() {
                    Ok((s, _)) => break s,
                    Err(_) if std::time::Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                    Err(e) => panic!("no request within 20 s: {e}"),
                }
            };
            stream.set_nonblocking(false).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut byte = [0u8; 1];
            let mut head = Vec::new();
            while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
                if stream.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let _ = stream.write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100000\r\n\r\n");
            // One byte every 200 ms, for at most 20 s, until the client hangs up.
            for _ in 0..100 {
                std::thread::sleep(Duration::from_millis(200));
                if stream.write_all(b"x").and_then(|()| stream.flush()).is_err() {
                    return true;
                }
            }
            false
        });
        let client = Client::new(
            Config::builder()
                .region("us-east-1")
                .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
                .endpoint_url(format!("http://127.0.0.1:{port}"))
                .retry(RetryConfig {
                    max_attempts: 1,
                    ..RetryConfig::STANDARD
                })
                .timeouts(Timeouts {
                    attempt: Duration::from_secs(1),
                    ..Default::default()
                })
                .build()
                .expect("a valid configuration"),
        );
        let started = std::time::Instant::now();
        let err = client
            .subscribe_to_feed(&SubscribeToFeedInput::new().with_feed_id("feed-1"))
            .expect_err("an error that never ends");
        let took = started.elapsed();
        assert!(took < Duration::from_secs(10), "{took:?}");
        assert!(matches!(err, SdkError::Transport { .. } | SdkError::Timeout { .. }), "{err}");
        drop(client);
        assert!(server.join().expect("the server thread"), "the client hung up");
    }

    /// The members beside an awsJson output's event stream come in its
    /// first event, `initial-response`: read into the output, whatever the
    /// reads' sizes, the events after it left for the stream; a stream
    /// that starts with an event keeps it.
    #[test]
    fn initial_response_members_fill_the_output() {
        use slim_fixtures::events::JoinFeed;
        let initial = event("initial-response", &[], br#"{"SessionId":"s-1","Position":42}"#);
        let body = [initial, event("Tick", &[("Count", H::Int(1))], b"")].concat();
        for step in [1, 5, 1000] {
            let stream = ByteStream::from_reader(Trickle(body.clone(), 0, step));
            let mut out = <JoinFeed as Operation>::parse_streaming_response(200, &[("x", "y")], stream)
                .expect("the output");
            assert_eq!(out.session_id.as_deref(), Some("s-1"));
            assert_eq!(out.position, Some(42));
            let mut events = out.events.take().expect("the stream");
            match events.next_event() {
                Some(Ok(FeedEventStream::Tick(t))) => assert_eq!(t.count, Some(1)),
                other => panic!("expected the tick, got {other:?}"),
            }
            assert!(events.next_event().is_none());
        }
        let straight = event("Tick", &[("Count", H::Int(7))], b"");
        let mut out = <JoinFeed as Operation>::parse_streaming_response(200, &[("x", "y")], ByteStream::from_bytes(straight))
            .expect("the output");
        assert_eq!(out.session_id, None);
        match out.events.take().expect("the stream").next_event() {
            Some(Ok(FeedEventStream::Tick(t))) => assert_eq!(t.count, Some(7)),
            other => panic!("the first event is kept, got {other:?}"),
        }
    }

    /// The async client reads the initial response before it hands the
    /// output over, though it arrives in pieces, pending between them.
    #[test]
    fn the_async_client_reads_the_initial_response_first() {
        use slim_fixtures::events::client::AsyncClient;
        use slim_fixtures::events::JoinFeedInput;
        use slim_fixtures::runtime::client::{
            AsyncHttpTransport, AsyncSleep, BoxFuture, Config, Credentials, StreamingResponse,
            TransportError, TransportRequest, TransportResponse,
        };
        use slim_fixtures::runtime::stream::AsyncBody;
        use std::future::Future;
        use std::pin::Pin;
        use std::task::{Context, Poll, Waker};

        /// Chunks, each after one pending poll.
        struct Pieces(Vec<Vec<u8>>, bool);
        impl AsyncBody for Pieces {
            fn poll_chunk(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<std::io::Result<Vec<u8>>>> {
                self.1 = !self.1;
                if self.1 {
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                if self.0.is_empty() {
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Ok(self.0.remove(0))))
            }
        }
        #[derive(Debug)]
        struct Scripted(Vec<u8>);
        impl AsyncHttpTransport for Scripted {
            fn send<'a>(&'a self, _: TransportRequest<'a>) -> BoxFuture<'a, Result<TransportResponse, TransportError>> {
                Box::pin(async { panic!("a streaming operation is sent with send_streaming") })
            }
            fn send_streaming<'a>(&'a self, _: TransportRequest<'a>) -> BoxFuture<'a, Result<StreamingResponse, TransportError>> {
                let body = &self.0;
                let pieces = vec![body[..5].to_vec(), body[5..20].to_vec(), body[20..].to_vec()];
                Box::pin(async move {
                    Ok(StreamingResponse {
                        status: 200,
                        headers: vec![("Content-Type".into(), "application/vnd.amazon.eventstream".into())],
                        body: ByteStream::from_async(Pieces(pieces, false)),
                    })
                })
            }
        }
        /// A timer that never fires (nothing here waits on time).
        #[derive(Debug)]
        struct Never;
        impl AsyncSleep for Never {
            fn sleep(&self, _: Duration) -> BoxFuture<'static, ()> {
                Box::pin(std::future::pending())
            }
        }
        let initial = event("initial-response", &[], br#"{"SessionId":"s-2"}"#);
        let body = [initial, event("Tick", &[("Count", H::Int(3))], b"")].concat();
        let config = Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
            .endpoint_url("http://127.0.0.1:9")
            .build()
            .expect("a valid configuration");
        let client = AsyncClient::with_transport(config, Scripted(body), Never);
        let input = JoinFeedInput::new().with_feed_id("f");
        let mut call = std::pin::pin!(async {
            let mut out = client.join_feed(&input).await.expect("JoinFeed");
            assert_eq!(out.session_id.as_deref(), Some("s-2"));
            let mut events = out.events.take().expect("the stream");
            let first = events.next_event_async().await;
            (first.map(|e| e.map_err(|e| e.to_string())), events.next_event_async().await.is_none())
        });
        let mut cx = Context::from_waker(Waker::noop());
        let mut result = None;
        for _ in 0..10_000 {
            if let Poll::Ready(r) = call.as_mut().poll(&mut cx) {
                result = Some(r);
                break;
            }
        }
        let (first, ended) = result.expect("the call finishes");
        match first {
            Some(Ok(FeedEventStream::Tick(t))) => assert_eq!(t.count, Some(3)),
            other => panic!("expected the tick, got {other:?}"),
        }
        assert!(ended);
    }
}
