//! The aws-sdk-rust side of the SageMaker build comparison in
//! `cargo xtask bench-compile`: the same `StopPipelineExecution` call
//! through aws-sdk-sagemaker configured by aws-config. Only built by the
//! benchmark; run it with an endpoint as its argument.

use aws_sdk_sagemaker as sagemaker;

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/bench/execution/1";

fn main() {
    let endpoint = std::env::args()
        .nth(1)
        .expect("an endpoint URL as the argument");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async move {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(sagemaker::config::Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(sagemaker::config::Credentials::new(
                "AKIDBENCH",
                "bench-secret",
                None,
                None,
                "bench",
            ))
            .load()
            .await;
        let client = sagemaker::Client::new(&config);
        match client
            .stop_pipeline_execution()
            .pipeline_execution_arn(ARN)
            .send()
            .await
        {
            Ok(out) => println!("{:?}", out.pipeline_execution_arn()),
            Err(e) => println!("{e}"),
        }
    });
}
