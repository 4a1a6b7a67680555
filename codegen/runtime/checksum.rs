//! Request checksums (`@httpChecksum`, `@httpChecksumRequired`): the
//! `x-amz-checksum-*` header of a request body, as the AWS SDKs send it.
//!
//! The algorithm is the one the caller chose in the operation's algorithm
//! member; without a choice, CRC32 when the operation requires a checksum
//! or has an algorithm member (the SDKs' default, `when_supported`). CRC32,
//! CRC32C and CRC64/NVME are computed here (std only, table-driven); SHA-1
//! and SHA-256 are refused (cryptographic hashes stay out of the default
//! build). A request whose input already carries an `x-amz-checksum-*`
//! header is left as it is.

use super::blob::encode_base64;
use super::error::EncodeError;
use super::http::HttpRequest;

/// What an operation's `@httpChecksum` asks of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChecksumRule {
    /// The input shape, for errors.
    pub shape: &'static str,
    /// Whether a checksum is required (`requestChecksumRequired`,
    /// `@httpChecksumRequired`).
    pub required: bool,
    /// The header of the algorithm member, which gets the default
    /// algorithm's name when the caller chose none.
    pub algorithm_header: Option<&'static str>,
    /// Whether the operation has an algorithm member at all.
    pub has_algorithm_member: bool,
}

/// Adds the checksum header `rule` asks for to `req`; `chosen` is the
/// algorithm member's value, if set.
pub fn request_checksum(
    req: &mut HttpRequest,
    rule: ChecksumRule,
    chosen: Option<&str>,
) -> Result<(), EncodeError> {
    let has_checksum = req
        .headers
        .iter()
        .any(|(k, _)| k.len() > 15 && k[..15].eq_ignore_ascii_case("x-amz-checksum-"));
    if has_checksum {
        return Ok(());
    }
    let algorithm = match chosen {
        Some(a) => a.to_ascii_uppercase(),
        None if rule.required || rule.has_algorithm_member => {
            if let Some(header) = rule.algorithm_header {
                req.headers.push((header.to_owned(), "CRC32".to_owned()));
            }
            "CRC32".to_owned()
        }
        None => return Ok(()),
    };
    let digest = match algorithm.as_str() {
        "CRC32" => crc32(&req.body).to_be_bytes().to_vec(),
        "CRC32C" => crc32c(&req.body).to_be_bytes().to_vec(),
        "CRC64NVME" => crc64nvme(&req.body).to_be_bytes().to_vec(),
        other => {
            return Err(EncodeError::InvalidValue {
                shape: rule.shape,
                message: format!(
                    "checksum algorithm {other:?} is not computed here (CRC32, CRC32C and CRC64NVME are)"
                ),
            })
        }
    };
    req.headers.push((
        format!("x-amz-checksum-{}", algorithm.to_ascii_lowercase()),
        encode_base64(&digest),
    ));
    Ok(())
}

/// A reflected CRC of at most 64 bits: its byte table and width mask.
/// Initial value and final XOR are all ones, as CRC-32, CRC-32C and
/// CRC-64/NVME want.
pub struct Crc {
    table: [u64; 256],
    mask: u64,
}

impl Crc {
    /// The CRC of the reflected polynomial `poly`, `width` bits wide.
    pub const fn reflected(poly: u64, width: u32) -> Self {
        let mut table = [0u64; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u64;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { poly ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        let mask = if width >= 64 { !0 } else { (1 << width) - 1 };
        Crc { table, mask }
    }

    /// The CRC of `data`.
    pub fn checksum(&self, data: &[u8]) -> u64 {
        let mut c = self.mask;
        for b in data {
            c = self.table[((c ^ u64::from(*b)) & 0xff) as usize] ^ (c >> 8);
        }
        c ^ self.mask
    }
}

/// CRC-32 (IEEE, as gzip and zlib), reflected polynomial 0xEDB88320.
static CRC32: Crc = Crc::reflected(0xEDB8_8320, 32);

/// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78.
static CRC32C: Crc = Crc::reflected(0x82F6_3B78, 32);

/// CRC-64/NVME, reflected polynomial 0x9A6C9329AC4BC9B5.
static CRC64NVME: Crc = Crc::reflected(0x9A6C_9329_AC4B_C9B5, 64);

/// The CRC-32 of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    CRC32.checksum(data) as u32
}

/// The CRC-32C of `data`.
pub fn crc32c(data: &[u8]) -> u32 {
    CRC32C.checksum(data) as u32
}

/// The CRC-64/NVME of `data`.
pub fn crc64nvme(data: &[u8]) -> u64 {
    CRC64NVME.checksum(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_values_of_the_catalogue() {
        // The "123456789" check values of each CRC's catalogue entry.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc64nvme(b"123456789"), 0xAE8B_1486_0A79_9888);
        assert_eq!(crc32c(b""), 0);
        assert_eq!(crc64nvme(b""), 0);
    }

    fn request(body: &[u8]) -> HttpRequest {
        HttpRequest {
            method: "PUT",
            uri: "/".into(),
            headers: vec![("x-amz-meta-a".into(), "b".into())],
            body: body.to_vec(),
            host_prefix: String::new(),
        }
    }

    const RULE: ChecksumRule = ChecksumRule {
        shape: "PutInput",
        required: false,
        algorithm_header: Some("x-amz-sdk-checksum-algorithm"),
        has_algorithm_member: true,
    };

    #[test]
    fn the_default_is_crc32_with_the_algorithm_named() {
        let mut req = request(b"hello");
        request_checksum(&mut req, RULE, None).unwrap();
        assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
        // zlib.crc32(b"hello") = 0x3610a686
        assert_eq!(
            req.header("x-amz-checksum-crc32"),
            Some(encode_base64(&0x3610_a686u32.to_be_bytes()).as_str())
        );
        // A chosen algorithm: its header only (the member's header is the input's).
        let mut req = request(b"123456789");
        request_checksum(&mut req, RULE, Some("crc64nvme")).unwrap();
        assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), None);
        assert_eq!(
            req.header("x-amz-checksum-crc64nvme"),
            Some(encode_base64(&0xAE8B_1486_0A79_9888u64.to_be_bytes()).as_str())
        );
    }

    #[test]
    fn given_checksums_optional_rules_and_sha_are_handled() {
        let mut req = request(b"x");
        req.headers
            .push(("X-Amz-Checksum-Sha256".into(), "given".into()));
        request_checksum(&mut req, RULE, Some("SHA256")).unwrap();
        assert_eq!(req.headers.len(), 2, "a given checksum is kept as it is");
        let optional = ChecksumRule {
            required: false,
            has_algorithm_member: false,
            algorithm_header: None,
            ..RULE
        };
        let mut req = request(b"x");
        request_checksum(&mut req, optional, None).unwrap();
        assert_eq!(req.headers.len(), 1, "nothing asked, nothing added");
        let required = ChecksumRule {
            required: true,
            ..optional
        };
        request_checksum(&mut req, required, None).unwrap();
        assert!(req.header("x-amz-checksum-crc32").is_some());
        let err = request_checksum(&mut request(b"x"), RULE, Some("SHA256")).unwrap_err();
        assert!(
            err.to_string().contains("SHA256") && err.to_string().contains("PutInput"),
            "{err}"
        );
    }
}
