//! Endpoint resolution: the generated resolver walking a service's rule set
//! beside a hand-written `format!` of the same URL, in the same run.
//!
//! ```text
//! cargo bench -p tests --bench endpoint
//! ```

use std::hint::black_box;

use criterion::Criterion;

use aws_slim::{dms, sagemaker};

fn resolve(c: &mut Criterion) {
    let mut g = c.benchmark_group("endpoint");
    let region = "eu-west-1";
    // Baseline: what a user hand-writes, for the same URL.
    g.bench_function("format/dms", |b| {
        b.iter(|| format!("https://dms.{}.amazonaws.com", black_box(region)))
    });
    let params = dms::endpoint::Params {
        region: Some(region.into()),
        ..Default::default()
    };
    assert_eq!(
        params.resolve().unwrap().url,
        "https://dms.eu-west-1.amazonaws.com"
    );
    g.bench_function("rules/dms", |b| b.iter(|| black_box(&params).resolve()));
    let fips = dms::endpoint::Params {
        region: Some("us-gov-west-1".into()),
        use_fips: true,
        use_dual_stack: true,
        ..Default::default()
    };
    g.bench_function("rules/dms-fips-dualstack", |b| {
        b.iter(|| black_box(&fips).resolve())
    });
    let sagemaker = sagemaker::endpoint::Params {
        region: Some("ap-southeast-7".into()),
        ..Default::default()
    };
    g.bench_function("rules/sagemaker-unlisted-region", |b| {
        b.iter(|| black_box(&sagemaker).resolve())
    });
    let custom = dms::endpoint::Params {
        region: Some(region.into()),
        endpoint: Some("http://127.0.0.1:4566".into()),
        ..Default::default()
    };
    g.bench_function("rules/dms-custom-endpoint", |b| {
        b.iter(|| black_box(&custom).resolve())
    });
    g.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    resolve(&mut c);
    c.final_summary();
}
