//! A small gzip (RFC 1952) compressor for `@requestCompression` operations:
//! DEFLATE (RFC 1951) with LZ77 matching and the fixed Huffman codes, which
//! shrinks typical JSON bodies well without any dependency.
#![doc(hidden)]

/// Request bodies at least this large are compressed (the AWS SDKs' default
/// `requestMinCompressionSizeBytes`).
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// The CRC-32 (IEEE) of `data`, as gzip stores it.
pub use super::crc::crc32;

/// Writes bits least-significant first, as DEFLATE wants.
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    bits: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.bits;
        self.bits += count;
        while self.bits >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.bits -= 8;
        }
    }

    /// A Huffman code, which DEFLATE stores most-significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.bits > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// Base lengths of the length codes 257..=285.
const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Base distances of the distance codes 0..=29.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// A literal/length symbol with the fixed Huffman code.
fn symbol(w: &mut BitWriter, sym: u32) {
    match sym {
        0..=143 => w.code(0x30 + sym, 8),
        144..=255 => w.code(0x190 + sym - 144, 9),
        256..=279 => w.code(sym - 256, 7),
        _ => w.code(0xC0 + sym - 280, 8),
    }
}

/// The index of the last entry of `bases` not above `value`.
fn bucket(bases: &[u16], value: usize) -> usize {
    bases
        .iter()
        .rposition(|&b| usize::from(b) <= value)
        .unwrap_or(0)
}

fn matched(w: &mut BitWriter, len: usize, dist: usize) {
    let l = bucket(&LENGTH_BASE, len);
    symbol(w, 257 + l as u32);
    w.put(
        (len - usize::from(LENGTH_BASE[l])) as u32,
        u32::from(LENGTH_EXTRA[l]),
    );
    let d = bucket(&DIST_BASE, dist);
    w.code(d as u32, 5);
    w.put(
        (dist - usize::from(DIST_BASE[d])) as u32,
        u32::from(DIST_EXTRA[d]),
    );
}

const WINDOW: usize = 32 * 1024;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
const HASH_BITS: u32 = 15;
/// How many earlier positions with the same hash are tried per match.
const MAX_CHAIN: usize = 64;
const NONE: u32 = u32::MAX;

fn hash(data: &[u8], i: usize) -> usize {
    let v = u32::from(data[i]) | (u32::from(data[i + 1]) << 8) | (u32::from(data[i + 2]) << 16);
    (v.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
}

/// Raw DEFLATE: one final block with the fixed Huffman codes.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut w = BitWriter {
        out: Vec::with_capacity(data.len() / 2 + 16),
        acc: 0,
        bits: 0,
    };
    w.put(1, 1); // BFINAL
    w.put(1, 2); // BTYPE = fixed Huffman
    let mut head = vec![NONE; 1 << HASH_BITS];
    let mut prev = vec![NONE; WINDOW];
    let insert = |head: &mut Vec<u32>, prev: &mut Vec<u32>, i: usize| {
        if i + MIN_MATCH <= data.len() {
            let h = hash(data, i);
            prev[i % WINDOW] = head[h];
            head[h] = i as u32;
        }
    };
    let mut i = 0;
    while i < data.len() {
        let mut best_len = 0;
        let mut best_dist = 0;
        if i + MIN_MATCH <= data.len() {
            let mut candidate = head[hash(data, i)];
            let max = (data.len() - i).min(MAX_MATCH);
            let mut chain = 0;
            while candidate != NONE && chain < MAX_CHAIN {
                let c = candidate as usize;
                if i - c > WINDOW - 1 {
                    break;
                }
                let len = data[c..]
                    .iter()
                    .zip(&data[i..i + max])
                    .take_while(|(a, b)| a == b)
                    .count();
                if len > best_len {
                    best_len = len;
                    best_dist = i - c;
                    if len == max {
                        break;
                    }
                }
                let next = prev[c % WINDOW];
                // Older entries only; anything else was overwritten.
                if next == NONE || next as usize >= c {
                    break;
                }
                candidate = next;
                chain += 1;
            }
        }
        if best_len >= MIN_MATCH {
            matched(&mut w, best_len, best_dist);
            for k in i..i + best_len {
                insert(&mut head, &mut prev, k);
            }
            i += best_len;
        } else {
            symbol(&mut w, u32::from(data[i]));
            insert(&mut head, &mut prev, i);
            i += 1;
        }
    }
    symbol(&mut w, 256); // end of block
    w.finish()
}

/// A gzip member holding `data`.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    // Magic, CM = deflate, no flags, no mtime, no extra flags, OS unknown.
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend(deflate(data));
    out.extend(crc32(data).to_le_bytes());
    // ISIZE is the length modulo 2^32.
    out.extend((data.len() as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal inflater for fixed-Huffman and stored blocks, to check the
    /// compressor (the workspace tests also check it against Python's gzip).
    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut pos = 0usize; // in bits
        let mut bit = |n: u32| -> u32 {
            let mut v = 0;
            for k in 0..n {
                let b = (data[pos / 8] >> (pos % 8)) & 1;
                v |= u32::from(b) << k;
                pos += 1;
            }
            v
        };
        let mut out: Vec<u8> = Vec::new();
        loop {
            let last = bit(1);
            let kind = bit(2);
            assert_eq!(kind, 1, "only fixed-Huffman blocks are produced");
            loop {
                // Read a fixed Huffman code MSB-first.
                let mut code = 0;
                let mut len = 0;
                let sym = loop {
                    code = (code << 1) | bit(1);
                    len += 1;
                    match (len, code) {
                        (7, 0..=23) => break code + 256,
                        (8, 0x30..=0xBF) => break code - 0x30,
                        (8, 0xC0..=0xC7) => break code - 0xC0 + 280,
                        (9, 0x190..=0x1FF) => break code - 0x190 + 144,
                        (9, _) => panic!("bad code"),
                        _ => {}
                    }
                };
                match sym {
                    0..=255 => out.push(sym as u8),
                    256 => break,
                    _ => {
                        let l = (sym - 257) as usize;
                        let len =
                            usize::from(LENGTH_BASE[l]) + bit(u32::from(LENGTH_EXTRA[l])) as usize;
                        let mut d = 0;
                        for _ in 0..5 {
                            d = (d << 1) | bit(1);
                        }
                        let d = d as usize;
                        let dist =
                            usize::from(DIST_BASE[d]) + bit(u32::from(DIST_EXTRA[d])) as usize;
                        let start = out.len() - dist;
                        for k in 0..len {
                            out.push(out[start + k]);
                        }
                    }
                }
            }
            if last == 1 {
                return out;
            }
        }
    }

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn deflate_round_trips() {
        let mut samples: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"a".to_vec(),
            b"abcabcabcabcabcabcabc".to_vec(),
            vec![0u8; 100_000],
            (0..=255u8).cycle().take(70_000).collect(),
        ];
        let json: String = (0..2000)
            .map(|i| format!("{{\"id\":{i},\"name\":\"item-{}\",\"ok\":true}},", i % 37))
            .collect();
        samples.push(json.into_bytes());
        let mut seed = 0x1234_5678_u32;
        samples.push(
            (0..50_000)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    b"abcde"[(seed % 5) as usize]
                })
                .collect(),
        );
        for s in &samples {
            let packed = deflate(s);
            assert_eq!(&inflate(&packed), s, "{} bytes", s.len());
        }
        // Repetitive data shrinks.
        assert!(deflate(&samples[3]).len() < 1000);
        assert!(deflate(&samples[5]).len() < samples[5].len() / 3);
    }

    #[test]
    fn gzip_framing() {
        let g = gzip(b"hello");
        assert_eq!(&g[..4], &[0x1f, 0x8b, 8, 0]);
        let n = g.len();
        assert_eq!(&g[n - 4..], &5u32.to_le_bytes());
        assert_eq!(&g[n - 8..n - 4], &crc32(b"hello").to_le_bytes());
        assert_eq!(inflate(&g[10..n - 8]), b"hello");
    }
}
