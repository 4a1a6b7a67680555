//! Tests of the call loop, endpoint resolution and configuration.

use super::super::error::EncodeError;
use super::super::http::{HttpRequest, Operation};
use super::blocking::{judge, Judged};
use super::*;

#[test]
fn a_waiter_reads_an_xml_response_through_the_output() {
    use super::super::http::Headers;
    use waiter::{Acceptor, Comparator, Matcher, State};
    // An operation whose output is a document (for its JSON form).
    struct Poll;
    impl Operation for Poll {
        type Input = ();
        type Output = Document;
        type Error = super::super::UnhandledError;
        const SERVICE: &'static str = "Svc";
        const NAME: &'static str = "Poll";
        fn build_request(_: &()) -> Result<HttpRequest, EncodeError> {
            unreachable!("not sent")
        }
        fn parse_response(
            _: u16,
            _: &(impl Headers + ?Sized),
            _: &[u8],
        ) -> Result<Document, Self::Error> {
            unreachable!("not parsed")
        }
    }
    static STATUS: super::super::jmespath::Expr<'static> =
        super::super::jmespath::Expr::Field("Status");
    static SPEC: WaiterSpec<'static> = WaiterSpec {
        name: "Done",
        min_delay: 1,
        max_delay: 2,
        acceptors: &[Acceptor {
            state: State::Success,
            matcher: Matcher::Output(&STATUS, "done", Comparator::StringEquals),
        }],
    };
    let output = |status: &str| {
        Document::Object(
            [("Status".to_owned(), Document::String(status.to_owned()))]
                .into_iter()
                .collect(),
        )
    };
    let xml =
        b"<PollResponse><PollResult><Status>done</Status></PollResult></PollResponse>".to_vec();
    let judged = judge::<Poll>(
        &SPEC,
        &Document::Null,
        Ok(output("done")),
        Some(xml.clone()),
        1,
        Duration::ZERO,
        Duration::from_secs(60),
    );
    assert!(matches!(judged, Judged::Done(Ok(FinalPoll::Output(_)))));
    // Not done yet: another poll.
    let judged = judge::<Poll>(
        &SPEC,
        &Document::Null,
        Ok(output("running")),
        Some(xml),
        1,
        Duration::ZERO,
        Duration::from_secs(60),
    );
    assert!(matches!(judged, Judged::Sleep(_)));
}

#[test]
fn endpoints_and_regions_are_checked() {
    assert!(check_endpoint("https://dms.us-east-1.amazonaws.com").is_ok());
    assert!(check_endpoint("http://127.0.0.1:4566/base").is_ok());
    for bad in [
        "dms.amazonaws.com",
        "ftp://x",
        "https://",
        "https://h?x=1",
        "https://a b",
    ] {
        let err = check_endpoint(bad).unwrap_err().to_string();
        assert!(err.contains(bad), "{err}");
    }
    assert!(check_region("us-east-1").is_ok());
    for bad in ["", "US-EAST-1", "us east", "-x", "us_east"] {
        assert!(check_region(bad).is_err(), "{bad}");
    }
}

use super::endpoint::{
    Condition, EndpointTemplate, Expr, Function, Literal, Param, ParamKind, Piece, Rule,
};

use super::endpoint::tests::PARTITIONS as TEST_PARTITIONS;

/// Region, UseFIPS, Endpoint, Bucket (an operation parameter): a custom
/// endpoint is used as is; FIPS moves the signing region; a bucket
/// becomes a header; the region `sigv4a-only` asks for sigv4a.
static TEST_RULES: RuleSet<'static> = RuleSet {
    params: &[
        Param {
            name: "Region",
            kind: ParamKind::String,
            required: false,
            default: None,
            builtin: Some("AWS::Region"),
        },
        Param {
            name: "UseFIPS",
            kind: ParamKind::Boolean,
            required: true,
            default: Some(Literal::Bool(false)),
            builtin: Some("AWS::UseFIPS"),
        },
        Param {
            name: "Endpoint",
            kind: ParamKind::String,
            required: false,
            default: None,
            builtin: Some("SDK::Endpoint"),
        },
        Param {
            name: "Bucket",
            kind: ParamKind::String,
            required: false,
            default: None,
            builtin: None,
        },
    ],
    slots: 4,
    rules: &[
        Rule::Endpoint {
            conditions: &[Condition {
                expr: Expr::Call(Function::IsSet, &[Expr::Ref(2)]),
                assign: None,
            }],
            endpoint: EndpointTemplate {
                url: Expr::Ref(2),
                properties: &[],
                headers: &[],
            },
        },
        Rule::Endpoint {
            conditions: &[Condition {
                expr: Expr::Call(
                    Function::StringEquals,
                    &[Expr::Ref(0), Expr::Str(&[Piece::Text("sigv4a-only")])],
                ),
                assign: None,
            }],
            endpoint: EndpointTemplate {
                url: Expr::Str(&[Piece::Text("https://global.example.com")]),
                properties: &[(
                    "authSchemes",
                    Expr::Array(&[Expr::Object(&[(
                        "name",
                        Expr::Str(&[Piece::Text("sigv4a")]),
                    )])]),
                )],
                headers: &[],
            },
        },
        Rule::Endpoint {
            conditions: &[Condition {
                expr: Expr::Call(Function::BooleanEquals, &[Expr::Ref(1), Expr::Bool(true)]),
                assign: None,
            }],
            endpoint: EndpointTemplate {
                url: Expr::Str(&[Piece::Text("https://svc-fips.example.com")]),
                properties: &[(
                    "authSchemes",
                    Expr::Array(&[
                        Expr::Object(&[("name", Expr::Str(&[Piece::Text("sigv4a")]))]),
                        Expr::Object(&[
                            ("name", Expr::Str(&[Piece::Text("sigv4")])),
                            ("signingName", Expr::Str(&[Piece::Text("svc-fips")])),
                            ("signingRegion", Expr::Str(&[Piece::Text("us-gov-west-1")])),
                        ]),
                    ]),
                )],
                headers: &[],
            },
        },
        Rule::Endpoint {
            conditions: &[Condition {
                expr: Expr::Call(Function::IsSet, &[Expr::Ref(3)]),
                assign: None,
            }],
            endpoint: EndpointTemplate {
                url: Expr::Str(&[
                    Piece::Text("https://svc."),
                    Piece::Var(0),
                    Piece::Text(".example.com"),
                ]),
                properties: &[],
                headers: &[("x-bucket", &[Expr::Ref(3)])],
            },
        },
        Rule::Endpoint {
            conditions: &[],
            endpoint: EndpointTemplate {
                url: Expr::Str(&[
                    Piece::Text("https://svc."),
                    Piece::Var(0),
                    Piece::Text(".example.com"),
                ]),
                properties: &[],
                headers: &[],
            },
        },
    ],
};

fn test_config(region: &str) -> ConfigBuilder {
    Config::builder()
        .region(region)
        .credentials(Credentials::new("AKID", "secret"))
}

#[test]
fn without_a_rule_set_the_endpoint_follows_the_partition_suffix() {
    let s = ServiceInfo {
        sdk_id: "Svc",
        signing_name: "sagemaker",
        endpoint_prefix: "api.sagemaker",
        endpoint_rules: None,
        partitions: TEST_PARTITIONS,
        endpoint_discovery: None,
    };
    assert_eq!(
        default_endpoint(&s, "us-west-2"),
        "https://api.sagemaker.us-west-2.amazonaws.com"
    );
    assert_eq!(
        default_endpoint(&s, "cn-north-1"),
        "https://api.sagemaker.cn-north-1.amazonaws.com.cn"
    );
    let config = test_config("eu-west-1").build().unwrap();
    let r = resolve_endpoint(&s, &config, None, Vec::new()).unwrap();
    assert_eq!(
        r.endpoint.url,
        "https://api.sagemaker.eu-west-1.amazonaws.com"
    );
    assert_eq!(
        (r.signing_name.as_str(), r.signing_region.as_str()),
        ("sagemaker", "eu-west-1")
    );
    let r = resolve_endpoint(&s, &config, Some("http://127.0.0.1:9"), Vec::new()).unwrap();
    assert_eq!(r.endpoint.url, "http://127.0.0.1:9");
}

#[test]
fn the_rule_set_sees_the_configuration_and_the_operation() {
    let s = ServiceInfo {
        sdk_id: "Svc",
        signing_name: "svc",
        endpoint_prefix: "svc",
        endpoint_rules: Some(&TEST_RULES),
        partitions: TEST_PARTITIONS,
        endpoint_discovery: None,
    };
    let plain = test_config("eu-west-1").build().unwrap();
    let r = resolve_endpoint(&s, &plain, None, Vec::new()).unwrap();
    assert_eq!(r.endpoint.url, "https://svc.eu-west-1.example.com");
    assert_eq!(
        (r.signing_name.as_str(), r.signing_region.as_str()),
        ("svc", "eu-west-1")
    );

    // The override reaches the rule set as SDK::Endpoint.
    let r = resolve_endpoint(&s, &plain, Some("http://localhost:1"), Vec::new()).unwrap();
    assert_eq!(r.endpoint.url, "http://localhost:1");

    // FIPS: the sigv4 entry (not the first, sigv4a) sets name and region.
    let fips = test_config("eu-west-1").use_fips(true).build().unwrap();
    let r = resolve_endpoint(&s, &fips, None, Vec::new()).unwrap();
    assert_eq!(r.endpoint.url, "https://svc-fips.example.com");
    assert_eq!(
        (r.signing_name.as_str(), r.signing_region.as_str()),
        ("svc-fips", "us-gov-west-1")
    );

    // Operation parameters are matched by name; endpoint headers come along.
    let r = resolve_endpoint(&s, &plain, None, vec![("Bucket", Value::str("b1"))]).unwrap();
    assert_eq!(
        r.endpoint.headers,
        [("x-bucket".to_owned(), vec!["b1".to_owned()])]
    );

    // Only sigv4a offered: refused, naming the scheme.
    let a = test_config("sigv4a-only").build().unwrap();
    let err = resolve_endpoint(&s, &a, None, Vec::new()).unwrap_err();
    let EndpointFailure::Config(e) = err else {
        panic!("{err:?}")
    };
    assert!(e.to_string().contains("sigv4a"), "{e}");

    // A resolved URL that is not one is refused before sending.
    let err = resolve_endpoint(&s, &plain, Some("not a url"), Vec::new()).unwrap_err();
    assert!(matches!(err, EndpointFailure::Config(_)), "{err:?}");
}

#[test]
fn config_errors_name_the_setting() {
    let creds = Credentials::new("AKID", "secret");
    let err = Config::builder()
        .credentials(creds.clone())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no region"));
    let err = Config::builder().region("us-east-1").build().unwrap_err();
    assert!(err.to_string().contains("no credentials"));
    let err = Config::builder()
        .region("Mars 1")
        .credentials(creds.clone())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("\"Mars 1\""));
    let err = Config::builder()
        .region("us-east-1")
        .credentials(creds)
        .app_name("my app\n")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("app name"));
    let with_builtin = |name: &str| {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret"))
            .endpoint_builtin(name, true)
            .build()
    };
    let err = with_builtin("SDK::Endpoint").unwrap_err();
    assert!(err.to_string().contains(".endpoint_url"), "{err}");
    let err = with_builtin("ForcePathStyle").unwrap_err();
    assert!(err.to_string().contains("\"ForcePathStyle\""), "{err}");
    let config = with_builtin("AWS::S3::ForcePathStyle").unwrap();
    assert_eq!(
        config.endpoint_builtin("AWS::S3::ForcePathStyle"),
        Some(&BuiltinValue::Bool(true))
    );
    assert_eq!(config.endpoint_builtin("AWS::S3::Accelerate"), None);
}

#[test]
fn credentials_never_print_their_secrets() {
    let c = Credentials::new("AKID", "very-secret").with_session_token("token-secret");
    let shown = format!("{c:?}");
    assert!(shown.contains("AKID"));
    assert!(!shown.contains("very-secret") && !shown.contains("token-secret"));
    assert!(Credentials::new("", "x").provide_credentials().is_err());
}
