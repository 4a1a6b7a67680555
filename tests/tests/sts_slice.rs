//! The STS slice the generator embeds for the credential providers
//! (`codegen/data/sts-credentials.slice.json`) is what slicing the shared STS
//! model gives today. With `SLIM_WRITE_STS_SLICE=1` the test writes the fresh
//! slice instead of failing (then run `cargo xtask codegen`).

#[test]
fn the_embedded_sts_slice_is_a_fresh_slice_of_the_shared_model() {
    let Some((file, text)) = tests::shared_model("other-protocols/sts-2011-06-15.json") else {
        return;
    };
    let operations: Vec<String> = codegen::STS_CREDENTIALS_OPERATIONS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let fresh = codegen::slice(&file, &text, None, &operations).expect("STS slices");
    let path = tests::workspace_root().join(codegen::STS_CREDENTIALS_FILE);
    if std::env::var_os("SLIM_WRITE_STS_SLICE").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is not a fresh slice of the shared STS model: run this test with SLIM_WRITE_STS_SLICE=1, then `cargo xtask codegen`",
        codegen::STS_CREDENTIALS_FILE
    );
    assert!(
        !fresh.contains("smithy.api#documentation"),
        "slices carry no model documentation"
    );
}
