//! Hashes of a request body that some services require beside the
//! signature, added by `build_request` with the `client` feature (the
//! hashes are RustCrypto's `sha2` and `md-5`): Glacier's SHA-256 tree hash
//! and the `Content-MD5` of operations with `@httpChecksumRequired`.

use md5::Md5;
use sha2::{Digest, Sha256};

use super::super::blob::encode_base64;
use super::super::http::HttpRequest;

/// The chunk size of Glacier's tree hash.
pub(super) const MIB: usize = 1024 * 1024;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 tree hash of `data`: the SHA-256 of each 1 MiB chunk, then
/// of each pair of hashes, level by level, until one is left.
pub fn tree_hash(data: &[u8]) -> [u8; 32] {
    let leaves: Vec<[u8; 32]> = if data.is_empty() {
        vec![Sha256::digest(data).into()]
    } else {
        data.chunks(MIB).map(|c| Sha256::digest(c).into()).collect()
    };
    tree_of(leaves)
}

/// The tree hash over the SHA-256 of each 1 MiB chunk (at least one).
pub(super) fn tree_of(leaves: Vec<[u8; 32]>) -> [u8; 32] {
    let mut level = leaves;
    if level.is_empty() {
        level.push(Sha256::digest([]).into());
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => {
                    let mut h = Sha256::new();
                    h.update(a);
                    h.update(b);
                    h.finalize().into()
                }
                [a] => *a,
                _ => [0; 32],
            })
            .collect();
    }
    level[0]
}

/// Adds `X-Amz-Content-Sha256` and `X-Amz-Sha256-Tree-Hash` (Glacier
/// uploads), unless the caller set them.
pub fn tree_hash_headers(req: &mut HttpRequest) {
    // A streamed body's hashes are computed by the client, reading it once
    // before it is sent.
    if let Some(streamed) = req.streamed.as_mut() {
        streamed.tree_hash = true;
        return;
    }
    if req.header("x-amz-content-sha256").is_none() {
        let linear = hex(&Sha256::digest(&req.body));
        req.push_computed("X-Amz-Content-Sha256", linear);
    }
    if req.header("x-amz-sha256-tree-hash").is_none() {
        let tree = hex(&tree_hash(&req.body));
        req.push_computed("X-Amz-Sha256-Tree-Hash", tree);
    }
}

/// Adds the body's `Content-MD5`, unless the caller set one: what
/// `@httpChecksumRequired` asked for before flexible checksums, and what
/// services (and S3 look-alikes) that predate them check.
pub fn content_md5(req: &mut HttpRequest) {
    if let Some(streamed) = req.streamed.as_mut() {
        streamed.content_md5 = true;
        return;
    }
    if req.header("content-md5").is_none() {
        let digest = Md5::digest(&req.body);
        req.push_computed("Content-MD5", encode_base64(&digest));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_hash_of_one_chunk_is_its_sha256_and_of_more_a_tree() {
        let one = b"hello world";
        assert_eq!(tree_hash(one), <[u8; 32]>::from(Sha256::digest(one)));
        let data = vec![7u8; 3 * MIB + 5];
        let leaves: Vec<[u8; 32]> = data.chunks(MIB).map(|c| Sha256::digest(c).into()).collect();
        let pair = |a: &[u8; 32], b: &[u8; 32]| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update(a);
            h.update(b);
            h.finalize().into()
        };
        let expected = pair(&pair(&leaves[0], &leaves[1]), &pair(&leaves[2], &leaves[3]));
        assert_eq!(tree_hash(&data), expected);
        let odd = vec![1u8; 3 * MIB];
        let leaves: Vec<[u8; 32]> = odd.chunks(MIB).map(|c| Sha256::digest(c).into()).collect();
        assert_eq!(
            tree_hash(&odd),
            pair(&pair(&leaves[0], &leaves[1]), &leaves[2])
        );
    }

    #[test]
    fn md5_of_a_known_body() {
        let mut req = super::super::super::http::aws_json_request(
            super::super::super::http::JsonVersion::V1_1,
            "S.Op",
            String::new(),
        );
        req.body = b"{\"foo\":\"bar\"}".to_vec();
        content_md5(&mut req);
        assert_eq!(req.header("Content-MD5"), Some("m7WPJhkuS6APAeLnsTa72A=="));
        let before = req.headers.len();
        content_md5(&mut req);
        assert_eq!(req.headers.len(), before, "a Content-MD5 already set stays");
    }
}
