//! One builder for the small models the unit tests lower and emit: a
//! service `a#Svc` with the operations and shapes a test names, on a
//! protocol and with service traits of its choosing.

use crate::error::Error;
use crate::ir::Service;
use crate::model::Loaded;

/// A model under construction.
pub(crate) struct TestModel {
    protocol: &'static str,
    service_traits: String,
    operations: Vec<(String, String)>,
    shapes: Vec<String>,
    model_docs: bool,
}

impl TestModel {
    /// `a#Svc` on awsJson1_1 with no operations and no shapes.
    pub(crate) fn new() -> Self {
        TestModel {
            protocol: "aws.protocols#awsJson1_1",
            service_traits: String::new(),
            operations: Vec::new(),
            shapes: Vec::new(),
            model_docs: true,
        }
    }

    /// The protocol trait of the service.
    pub(crate) fn protocol(mut self, trait_id: &'static str) -> Self {
        self.protocol = trait_id;
        self
    }

    /// More service traits, as JSON members (`"smithy.api#title":"T"`).
    pub(crate) fn service_traits(mut self, traits: &str) -> Self {
        self.service_traits = traits.to_string();
        self
    }

    /// An operation `a#<name>` with the given JSON members besides its
    /// type (`"input":{"target":"a#In"}`).
    pub(crate) fn operation(mut self, name: &str, members: &str) -> Self {
        self.operations
            .push((name.to_string(), members.to_string()));
        self
    }

    /// Shapes, as JSON members of `shapes` (`"a#In":{...}`).
    pub(crate) fn shapes(mut self, shapes: &str) -> Self {
        self.shapes.push(shapes.to_string());
        self
    }

    /// Lower without model documentation.
    pub(crate) fn without_docs(mut self) -> Self {
        self.model_docs = false;
        self
    }

    /// The model's JSON text.
    pub(crate) fn text(&self) -> String {
        let ops: Vec<String> = self
            .operations
            .iter()
            .map(|(n, _)| format!(r#"{{"target":"a#{n}"}}"#))
            .collect();
        let mut shapes = vec![format!(
            r#""a#Svc":{{"type":"service","version":"1","operations":[{}],"traits":{{"{}":{{}}{}{}}}}}"#,
            ops.join(","),
            self.protocol,
            if self.service_traits.is_empty() {
                ""
            } else {
                ","
            },
            self.service_traits
        )];
        for (name, members) in &self.operations {
            let sep = if members.is_empty() { "" } else { "," };
            shapes.push(format!(
                r#""a#{name}":{{"type":"operation"{sep}{members}}}"#
            ));
        }
        shapes.extend(self.shapes.iter().cloned());
        format!(r#"{{"smithy":"2.0","shapes":{{{}}}}}"#, shapes.join(","))
    }

    /// Loads and lowers every operation of the service as module `svc`.
    pub(crate) fn lower(&self) -> Result<Service, Error> {
        let model = Loaded::from_text("t.json", &self.text())?;
        crate::lower::lower(
            &model,
            &crate::lower::Request {
                module: "svc",
                service: None,
                operations: &[],
                all: true,
                model_docs: self.model_docs,
                protocol: None,
            },
        )
    }
}

#[test]
fn the_builder_writes_a_model_that_lowers() {
    let svc = TestModel::new()
        .protocol("aws.protocols#awsJson1_0")
        .service_traits(r#""smithy.api#title":"T""#)
        .operation("Op", r#""input":{"target":"a#In"}"#)
        .operation("Bare", "")
        .shapes(r#""a#In":{"type":"structure","members":{}}"#)
        .lower()
        .unwrap();
    let ops: Vec<&str> = svc
        .operations
        .iter()
        .map(|o| o.wire_name.as_str())
        .collect();
    assert_eq!(ops, ["Bare", "Op"]);
    assert_eq!(svc.title.as_deref(), Some("T"));
    assert_eq!(svc.protocol_info.protocol, crate::ir::Protocol::AwsJson1_0);
    assert_eq!(svc.types.len(), 1);
}
