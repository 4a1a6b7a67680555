//! The generated side of the SageMaker build comparison in
//! `cargo xtask bench-compile`: one `StopPipelineExecution` call through the
//! blocking client. The program is only built, never run by the benchmark;
//! run it with an endpoint (`http://127.0.0.1:PORT`) as its argument.

use sagemaker_slim::runtime::client::{Config, Credentials};
use sagemaker_slim::sagemaker::client::Client;
use sagemaker_slim::sagemaker::StopPipelineExecutionRequest;

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/bench/execution/1";

fn main() {
    let endpoint = std::env::args()
        .nth(1)
        .expect("an endpoint URL as the argument");
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDBENCH", "bench-secret"))
        .endpoint_url(&endpoint)
        .build()
        .expect("a valid config");
    let client = Client::new(config);
    let input = StopPipelineExecutionRequest::new().with_pipeline_execution_arn(ARN);
    match client.stop_pipeline_execution(&input) {
        Ok(out) => println!("{:?}", out.pipeline_execution_arn),
        Err(e) => println!("{e}"),
    }
}
