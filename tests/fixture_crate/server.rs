//! Server side of the code generated from the fixture models: routing,
//! rejections, `@required` validation through nested structures, lists, maps
//! and unions, input defaults, and responses that the client side of the
//! same crate reads back. Copied into the generated fixture crate
//! (`target/fixture-crate/tests/`) by `tests/tests/fixtures_compile.rs`.

use slim_fixtures::runtime::{ErrorParts, HttpRequest, HttpResponse, Rejection, UnhandledError};
use slim_fixtures::{errors, recursion, shapes};

fn pairs(req: &HttpRequest) -> Vec<(&str, &str)> {
    req.headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn response_pairs(res: &HttpResponse) -> Vec<(&str, &str)> {
    res.headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Headers of an awsJson1_0 request to `target` (the `errors` fixture).
fn json10(target: &str) -> [(&'static str, &str); 2] {
    [
        ("Content-Type", "application/x-amz-json-1.0"),
        ("X-Amz-Target", target),
    ]
}

/// Headers of an awsJson1_1 request to `target` (the `recursion` and `shapes` fixtures).
fn json11(target: &str) -> [(&'static str, &str); 2] {
    [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", target),
    ]
}

fn violation_paths(r: &Rejection) -> Vec<&str> {
    r.violations().iter().map(|v| v.path.as_str()).collect()
}

/// The paths of the violations a recursion `Evaluate` body is refused for.
fn evaluate_violations(body: &str) -> Vec<String> {
    let headers = json11("RecursionService.Evaluate");
    match recursion::ServiceRequest::from_http("POST", &headers, body.as_bytes()) {
        Ok(request) => panic!("accepted {body}: {request:?}"),
        Err(r) => {
            assert_eq!((r.status(), r.code()), (400, "ValidationException"), "{r}");
            violation_paths(&r).into_iter().map(String::from).collect()
        }
    }
}

// ---------------------------------------------------------------- routing

#[test]
fn requests_are_routed_on_x_amz_target() {
    let headers = json11("RecursionService.GetOrgChart");
    let got = recursion::ServiceRequest::from_http("POST", &headers, br#"{"Root":"ceo"}"#).unwrap();
    assert_eq!(
        got,
        recursion::ServiceRequest::GetOrgChart(recursion::GetOrgChartInput::new().with_root("ceo"))
    );
    assert_eq!(got.operation_name(), "GetOrgChart");
    assert_eq!(
        recursion::ServiceRequest::OPERATIONS,
        ["Evaluate", "GetOrgChart", "Walk"]
    );
}

#[test]
fn bad_requests_are_rejected_with_the_status_and_type_of_an_aws_json_service() {
    let body = b"{}";
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16, &'a str);
    let cases: [Case; 6] = [
        (
            "GET",
            json11("RecursionService.Walk").to_vec(),
            405,
            "MethodNotAllowedException",
        ),
        (
            "POST",
            vec![("Content-Type", "application/x-amz-json-1.1")],
            404,
            "UnknownOperationException",
        ),
        (
            "POST",
            json11("RecursionService.Fly").to_vec(),
            404,
            "UnknownOperationException",
        ),
        (
            "POST",
            json11("OtherService.Walk").to_vec(),
            404,
            "UnknownOperationException",
        ),
        (
            "POST",
            vec![("X-Amz-Target", "RecursionService.Walk")],
            415,
            "UnsupportedMediaTypeException",
        ),
        (
            "POST",
            vec![
                ("Content-Type", "application/x-amz-json-1.0"),
                ("X-Amz-Target", "RecursionService.Walk"),
            ],
            415,
            "UnsupportedMediaTypeException",
        ),
    ];
    for (method, headers, status, code) in cases {
        let r = recursion::ServiceRequest::from_http(method, &headers, body).unwrap_err();
        assert_eq!(
            (r.status(), r.code()),
            (status, code),
            "{method} {headers:?}: {r}"
        );
        let res = recursion::ServiceRequest::reject(&r);
        assert_eq!(res.status, status);
        assert_eq!(
            res.header("Content-Type"),
            Some("application/x-amz-json-1.1")
        );
        // awsJson1_1: the bare error type, as the client side reads it back.
        let text = res.body_str().unwrap();
        assert!(
            text.starts_with(&format!(r#"{{"__type":"{code}","message":"#)),
            "{text}"
        );
        let err = recursion::Walk::parse_response(res.status, &response_pairs(&res), &res.body)
            .unwrap_err();
        assert_eq!(err.code(), Some(code));
    }
    // awsJson1_0: the error type as a shape id.
    let r =
        errors::ServiceRequest::from_http("POST", &json10("ErrorService.Nope"), b"{}").unwrap_err();
    let res = errors::ServiceRequest::reject(&r);
    assert_eq!(res.status, 404);
    assert_eq!(
        res.header("Content-Type"),
        Some("application/x-amz-json-1.0")
    );
    assert_eq!(
        res.body_str(),
        Some(
            r#"{"__type":"com.amazon.coral.service#UnknownOperationException","message":"unknown operation `ErrorService.Nope`"}"#
        )
    );
}

#[test]
fn malformed_bodies_and_wrong_types_are_serialization_errors() {
    let headers = json11("ShapesService.PutEverything");
    for body in [
        &b"{"[..],
        b"[]",
        b"{} trailing",
        br#"{"Count":"three"}"#,
        br#"{"Count":1.5}"#,
        br#"{"Everything":{"Required":5}}"#,
        br#"{"Everything":{"Blob":"not base64!"}}"#,
        br#"{"Shape":{"Circle":{"Radius":1},"Square":2}}"#,
    ] {
        let r = shapes::ServiceRequest::from_http("POST", &headers, body).unwrap_err();
        assert_eq!(
            (r.status(), r.code()),
            (400, "SerializationException"),
            "{}: {r}",
            String::from_utf8_lossy(body)
        );
    }
}

// ------------------------------------------------------------- validation

#[test]
fn missing_required_members_are_named_with_their_path() {
    let headers = json11("ShapesService.PutEverything");
    let r = shapes::ServiceRequest::from_http("POST", &headers, b"").unwrap_err();
    assert_eq!(violation_paths(&r), ["/Everything", "/Count"]);
    assert_eq!(
        r.to_string(),
        "2 validation errors detected. Value at '/Everything' failed to satisfy constraint: \
         Member must not be null; Value at '/Count' failed to satisfy constraint: Member must not be null"
    );
    // `null` counts as absent; nested structures and unions are checked too.
    let body =
        br#"{"Count":null,"Everything":{"Required":"x","RequiredInner":{"Label":"l","Tags":[]},
        "RequiredFigure":{"Circle":{}},"RequiredColor":"red","ClientOptional":null}}"#;
    let r = shapes::ServiceRequest::from_http("POST", &headers, body).unwrap_err();
    assert_eq!(
        violation_paths(&r),
        [
            "/Everything/RequiredInner/Weight",
            "/Everything/RequiredFigure/Circle/Radius",
            "/Everything/ClientOptional",
            "/Count",
        ]
    );
    let res = shapes::ServiceRequest::reject(&r);
    assert_eq!(res.status, 400);
    let text = res.body_str().unwrap();
    assert!(
        text.contains(r#""fieldList":[{"path":"/Everything/RequiredInner/Weight","#),
        "{text}"
    );
}

#[test]
fn required_members_are_found_through_lists_maps_unions_and_recursion() {
    assert_eq!(evaluate_violations("{}"), ["/Expression"]);
    assert_eq!(
        evaluate_violations(r#"{"Expression":{"Add":{"Left":{"Literal":1}}}}"#),
        ["/Expression/Add/Right"]
    );
    assert_eq!(
        evaluate_violations(
            r#"{"Expression":{"Sum":[{"Literal":1},null,{"Add":{"Right":{"Negate":{"Add":{}}}}}]}}"#
        ),
        [
            "/Expression/Sum/2/Add/Right/Negate/Add/Left",
            "/Expression/Sum/2/Add/Right/Negate/Add/Right",
            "/Expression/Sum/2/Add/Left",
        ]
    );
    assert_eq!(
        evaluate_violations(r#"{"Expression":{"Let":{"x":{"Add":{"Left":{"Literal":1}}}}}}"#),
        ["/Expression/Let/x/Add/Right"]
    );
    assert_eq!(
        evaluate_violations(
            r#"{"Expression":{"Literal":1},"Chain":{"Value":1,"Next":{"Next":{"Value":3}}}}"#
        ),
        ["/Chain/Next/Value"]
    );
    let headers = json11("RecursionService.Walk");
    let r = recursion::ServiceRequest::from_http(
        "POST",
        &headers,
        br#"{"Tree":{"Children":[{"Children":[]},{"Label":"leaf"}]}}"#,
    )
    .unwrap_err();
    assert_eq!(violation_paths(&r), ["/Tree/Children/1/Children"]);
    let ok = br#"{"Expression":{"Sum":[{"Add":{"Left":{"Literal":1},"Right":{"Literal":2}}}]}}"#;
    let headers = json11("RecursionService.Evaluate");
    assert!(recursion::ServiceRequest::from_http("POST", &headers, ok).is_ok());
}

#[test]
fn input_defaults_are_filled_in_on_the_server() {
    let headers = json11("ShapesService.GetDefaults");
    let got = shapes::GetDefaults::parse_request(&headers, b"{}").unwrap();
    assert_eq!(got.limit, Some(10));
    let got = shapes::GetDefaults::parse_request(&headers, br#"{"Limit":3}"#).unwrap();
    assert_eq!(got.limit, Some(3));
}

#[test]
fn operations_without_input_accept_empty_bodies() {
    let headers = json11("ShapesService.Ping");
    for body in [&b""[..], b"{}", b"null"] {
        assert_eq!(
            shapes::ServiceRequest::from_http("POST", &headers, body),
            Ok(shapes::ServiceRequest::Ping)
        );
    }
    let r = shapes::ServiceRequest::from_http("POST", &headers, b"[1]").unwrap_err();
    assert_eq!(r.code(), "SerializationException");
}

// ------------------------------------------- client and server agree

#[test]
fn what_the_client_sends_the_server_parses() {
    let input = errors::TransferInput::new()
        .with_from("alice")
        .with_to("bob")
        .with_cents(125);
    let req = errors::Transfer::build_request(&input).unwrap();
    let got = errors::ServiceRequest::from_http(req.method, &pairs(&req), &req.body).unwrap();
    assert_eq!(got, errors::ServiceRequest::Transfer(input));

    let expr = recursion::Expr::Sum(vec![
        recursion::Expr::Literal(1),
        recursion::Expr::Negate(Box::new(recursion::Expr::Literal(2))),
    ]);
    let input = recursion::EvaluateInput::new().with_expression(expr);
    let req = recursion::Evaluate::build_request(&input).unwrap();
    let got = recursion::ServiceRequest::from_http(req.method, &pairs(&req), &req.body).unwrap();
    assert_eq!(got, recursion::ServiceRequest::Evaluate(input));
}

#[test]
fn what_the_server_answers_the_client_parses() {
    // Output.
    let output = errors::TransferOutput::new().with_receipt("r-1");
    let res = errors::Transfer::respond(&Ok(output.clone()));
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("Content-Type"),
        Some("application/x-amz-json-1.0")
    );
    assert_eq!(
        errors::Transfer::parse_response(res.status, &response_pairs(&res), &res.body),
        Ok(output)
    );

    // Modeled errors: `@httpError` status, shape id in `__type` (awsJson1_0).
    let funds = errors::InsufficientFunds::new(3).with_message("too poor");
    let res =
        errors::Transfer::error_response(&errors::TransferError::InsufficientFunds(funds.clone()));
    assert_eq!(res.status, 402);
    assert_eq!(
        res.body_str(),
        Some(r#"{"__type":"fixture.errors#InsufficientFunds","message":"too poor","Balance":3}"#)
    );
    assert_eq!(
        errors::Transfer::parse_response(res.status, &response_pairs(&res), &res.body),
        Err(errors::TransferError::InsufficientFunds(funds))
    );
    // Server faults default to 500, service-level errors are answered too.
    let res = errors::Transfer::error_response(&errors::TransferError::InternalFailure(
        errors::InternalFailure::new(),
    ));
    assert_eq!(
        (res.status, res.body_str()),
        (500, Some(r#"{"__type":"fixture.errors#InternalFailure"}"#))
    );
    let res = errors::Transfer::error_response(&errors::TransferError::ThrottlingException(
        errors::ThrottlingException::new(),
    ));
    assert_eq!(res.status, 429);

    // Unmodeled errors keep their status, code and message.
    let unhandled = UnhandledError::new(
        503,
        ErrorParts {
            code: Some("Overloaded".into()),
            message: Some("later".into()),
            ..ErrorParts::default()
        },
    );
    let res = errors::Transfer::error_response(&errors::TransferError::Unhandled(unhandled));
    let back =
        errors::Transfer::parse_response(res.status, &response_pairs(&res), &res.body).unwrap_err();
    assert_eq!(
        (back.code(), back.message()),
        (Some("Overloaded"), Some("later"))
    );

    // No output: an empty body.
    let res = errors::Noop::output_response(&());
    assert_eq!((res.status, res.body.len()), (200, 0));
    assert_eq!(
        errors::Noop::parse_response(res.status, &slim_fixtures::runtime::NO_HEADERS, &res.body),
        Ok(())
    );
}

#[test]
fn outputs_that_cannot_be_serialized_become_internal_failures() {
    // The `Unknown` variant of a union cannot be sent.
    let output = shapes::PutEverythingOutput::new(
        shapes::Everything::new(shapes::required::Everything {
            required: "x".into(),
            required_inner: shapes::Inner::new("l", 1.0, Vec::<String>::new()),
            required_figure: shapes::Figure::Unknown(Default::default()),
            required_color: shapes::Color::Red,
        }),
        std::collections::BTreeMap::new(),
    );
    let res = shapes::PutEverything::output_response(&output);
    assert_eq!(res.status, 500);
    assert!(res.body_str().unwrap().contains("InternalFailure"));
}

#[test]
fn handle_routes_calls_the_handler_and_serializes_its_answer() {
    let handler = |request: errors::ServiceRequest| match request {
        errors::ServiceRequest::Transfer(input) if input.cents.unwrap_or_default() < 0 => {
            errors::ServiceResponse::Transfer(Err(errors::TransferError::InvalidAmount(
                errors::InvalidAmount::new().with_reason(errors::InvalidAmountReason::Negative),
            )))
        }
        errors::ServiceRequest::Transfer(_) => {
            errors::ServiceResponse::Transfer(Ok(errors::TransferOutput::new().with_receipt("ok")))
        }
        errors::ServiceRequest::Audit(_) => errors::ServiceResponse::Audit(Ok(())),
        errors::ServiceRequest::Noop => errors::ServiceResponse::Noop(Ok(())),
    };
    let headers = json10("ErrorService.Transfer");
    let res = errors::ServiceRequest::handle(
        "POST",
        &headers,
        br#"{"From":"a","To":"b","Cents":-1}"#,
        handler,
    );
    assert_eq!(res.status, 400);
    assert!(
        res.body_str().unwrap().contains(r#""Reason":"negative""#),
        "{:?}",
        res.body_str()
    );
    let res = errors::ServiceRequest::handle(
        "POST",
        &headers,
        br#"{"From":"a","To":"b","Cents":1}"#,
        handler,
    );
    assert_eq!(
        (res.status, res.body_str()),
        (200, Some(r#"{"Receipt":"ok"}"#))
    );
    let res = errors::ServiceRequest::handle("POST", &headers, br#"{"From":"a"}"#, handler);
    assert_eq!(res.status, 400);
    assert!(res.body_str().unwrap().contains("ValidationException"));
}
