//! The server side of the committed crate (`generated/`): DMS
//! `StopReplication` and SageMaker `StopPipelineExecution` requests routed,
//! parsed and answered, and what the client side of the same crate makes of
//! the answers. The first test is the README's server example.

use aws_slim::runtime::{HttpRequest, HttpResponse};
use aws_slim::{dms, sagemaker};

fn request_pairs(req: &HttpRequest) -> Vec<(&str, &str)> {
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

#[test]
fn readme_server_example() {
    use aws_slim::dms::{
        Replication, ResourceNotFoundFault, ServiceRequest, ServiceResponse,
        StopReplicationResponse,
    };

    // Method, headers and body as any HTTP server hands them over.
    let headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "AmazonDMSv20160101.StopReplication"),
    ];
    let body =
        br#"{"ReplicationConfigArn":"arn:aws:dms:us-east-1:123456789012:replication-config:EXAMPLE"}"#;

    // Route on X-Amz-Target, parse and validate, call the handler, serialize its answer.
    let response = ServiceRequest::handle("POST", &headers, body, |request| match request {
        ServiceRequest::StopReplication(input) => {
            ServiceResponse::StopReplication(match input.replication_config_arn.as_deref() {
                Some(arn) if arn.ends_with(":EXAMPLE") => Ok(StopReplicationResponse::new()
                    .with_replication(Replication::new().with_status("stopping"))),
                _ => Err(ResourceNotFoundFault::new()
                    .with_message("no such replication config")
                    .into()),
            })
        }
    });
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("Content-Type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        response.body_str(),
        Some(r#"{"Replication":{"Status":"stopping"}}"#)
    );

    // A bad request never reaches the handler; it is answered the way an AWS JSON service does.
    let rejection = ServiceRequest::from_http("POST", &headers, b"{}").unwrap_err();
    assert_eq!(
        (rejection.status(), rejection.code()),
        (400, "ValidationException")
    );
    let response = ServiceRequest::reject(&rejection);
    assert!(response
        .body_str()
        .is_some_and(|b| b.contains("'/ReplicationConfigArn'")));
}

#[test]
fn client_requests_are_parsed_back_by_the_server() {
    let input = dms::StopReplicationMessage::new().with_replication_config_arn("arn:x");
    let req = dms::StopReplication::build_request(&input).unwrap();
    assert_eq!(
        dms::ServiceRequest::from_http(req.method, &request_pairs(&req), &req.body),
        Ok(dms::ServiceRequest::StopReplication(input))
    );

    // The idempotency token the client fills in arrives.
    let input = sagemaker::StopPipelineExecutionRequest::new().with_pipeline_execution_arn("arn:p");
    let req = sagemaker::StopPipelineExecution::build_request(&input).unwrap();
    let Ok(sagemaker::ServiceRequest::StopPipelineExecution(got)) =
        sagemaker::ServiceRequest::from_http(req.method, &request_pairs(&req), &req.body)
    else {
        panic!("not routed to StopPipelineExecution");
    };
    assert_eq!(got.pipeline_execution_arn.as_deref(), Some("arn:p"));
    assert_eq!(got.client_request_token.map(|t| t.len()), Some(36));
}

#[test]
fn requests_to_the_other_service_or_an_unselected_operation_are_unknown() {
    let headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "SageMaker.StopPipelineExecution"),
    ];
    let r = dms::ServiceRequest::from_http("POST", &headers, b"{}").unwrap_err();
    assert_eq!((r.status(), r.code()), (404, "UnknownOperationException"));
    let headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "AmazonDMSv20160101.DescribeReplications"),
    ];
    let r = dms::ServiceRequest::from_http("POST", &headers, b"{}").unwrap_err();
    assert_eq!(
        r.to_string(),
        "unknown operation `AmazonDMSv20160101.DescribeReplications`"
    );
    assert_eq!(
        dms::ServiceRequest::OPERATIONS,
        ["StopReplication"],
        "the selection in models/selection.json"
    );
}

#[test]
fn errors_are_answered_with_the_shape_name_and_read_back_by_the_client() {
    // awsJson1_1: `__type` is the shape name.
    let err = dms::StopReplicationError::from(
        dms::InvalidResourceStateFault::new().with_message("already stopping"),
    );
    let res = dms::StopReplication::error_response(&err);
    assert_eq!(res.status, 400);
    assert_eq!(
        res.body_str(),
        Some(r#"{"__type":"InvalidResourceStateFault","message":"already stopping"}"#)
    );
    assert_eq!(
        dms::StopReplication::parse_response(res.status, &response_pairs(&res), &res.body),
        Err(err)
    );

    let err = sagemaker::StopPipelineExecutionError::from(
        sagemaker::ConflictException::new().with_message("busy"),
    );
    let res = sagemaker::StopPipelineExecution::respond(&Err(err.clone()));
    assert_eq!(
        res.body_str(),
        Some(r#"{"__type":"ConflictException","Message":"busy"}"#)
    );
    assert_eq!(
        sagemaker::StopPipelineExecution::parse_response(
            res.status,
            &response_pairs(&res),
            &res.body
        ),
        Err(err)
    );

    let output =
        sagemaker::StopPipelineExecutionResponse::new().with_pipeline_execution_arn("arn:p");
    let res = sagemaker::ServiceResponse::StopPipelineExecution(Ok(output.clone())).to_http();
    assert_eq!(res.status, 200);
    assert_eq!(
        sagemaker::StopPipelineExecution::parse_response(
            res.status,
            &response_pairs(&res),
            &res.body
        ),
        Ok(output)
    );
}
