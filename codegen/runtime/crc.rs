//! Table-driven reflected CRCs (CRC-32, CRC-32C, CRC-64/NVME), for
//! checksums, gzip and event-stream framing. A leaf.

/// A reflected CRC of at most 64 bits: its byte table and width mask.
/// Initial value and final XOR are all ones, as CRC-32, CRC-32C and
/// CRC-64/NVME want.
pub struct Crc {
    table: [u64; 256],
    pub(crate) mask: u64,
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
        self.update(self.mask, data) ^ self.mask
    }

    /// The running state after `data`, from `state` (start with the mask,
    /// end by XOR with it: [`checksum`](Self::checksum) in pieces).
    pub(crate) fn update(&self, mut c: u64, data: &[u8]) -> u64 {
        for b in data {
            c = self.table[((c ^ u64::from(*b)) & 0xff) as usize] ^ (c >> 8);
        }
        c
    }
}

/// CRC-32 (IEEE, as gzip and zlib), reflected polynomial 0xEDB88320.
pub(crate) static CRC32: Crc = Crc::reflected(0xEDB8_8320, 32);

/// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78.
pub(crate) static CRC32C: Crc = Crc::reflected(0x82F6_3B78, 32);

/// CRC-64/NVME, reflected polynomial 0x9A6C9329AC4BC9B5.
pub(crate) static CRC64NVME: Crc = Crc::reflected(0x9A6C_9329_AC4B_C9B5, 64);

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
