//! Checksums that prove every task ran, and the SHA-256 chain behind the SHA-256 kernel and the
//! quick comparison's tasks (a chain of `rounds` hashes each, so that its two batches do exactly
//! the work they name).

use sha2::{Digest, Sha256};

/// Hashes a task's seed block `rounds` times: `digest = sha256(digest)`.
///
/// The seed block is `task` as little-endian bytes followed by zeros, 32 bytes in all, and is
/// returned as it is when `rounds` is 0.
pub fn sha256_chain(task: u32, rounds: u32) -> [u8; 32] {
    let mut block = [0u8; 32];
    block[..4].copy_from_slice(&task.to_le_bytes());
    for _ in 0..rounds {
        block = Sha256::digest(block).into();
    }
    block
}

/// The first 8 bytes of [`sha256_chain`] as a little-endian number.
pub fn task_checksum(task: u32, rounds: u32) -> u64 {
    let digest = sha256_chain(task, rounds);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

/// Combines `(task, checksum)` pairs into one checksum that does not depend on their order.
///
/// Each pair is mixed before a wrapping sum, so results swapped between tasks still change the
/// total; a parallel run in any order then matches a sequential one exactly.
pub fn combine_checksums(parts: impl IntoIterator<Item = (u32, u64)>) -> u64 {
    parts
        .into_iter()
        .map(|(task, checksum)| mix(checksum ^ u64::from(task).wrapping_mul(0x9E37_79B9_7F4A_7C15)))
        .fold(0, u64::wrapping_add)
}

/// A checksum as 16 lowercase hex digits.
pub fn format_checksum(c: u64) -> String {
    format!("{c:016x}")
}

/// The SplitMix64 finaliser: spreads every input bit over the whole output.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn zero_rounds_is_the_seed_block() {
        let mut seed = [0u8; 32];
        seed[..4].copy_from_slice(&[0x04, 0x03, 0x02, 0x01]);
        assert_eq!(sha256_chain(0x0102_0304, 0), seed);
        assert_eq!(sha256_chain(0, 0), [0u8; 32]);
    }

    #[test]
    fn one_round_of_task_zero_is_sha256_of_32_zero_bytes() {
        assert_eq!(
            hex(&sha256_chain(0, 1)),
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
        );
        assert_eq!(task_checksum(0, 1), 0x77bd_62f8_ad7a_6866);
        assert_eq!(format_checksum(task_checksum(0, 1)), "77bd62f8ad7a6866");
    }

    #[test]
    fn chain_feeds_each_digest_into_the_next() {
        let twice: [u8; 32] = Sha256::digest(sha256_chain(7, 1)).into();
        assert_eq!(sha256_chain(7, 2), twice);
        assert_eq!(sha256_chain(7, 2), sha256_chain(7, 2));
        assert_ne!(sha256_chain(7, 2), sha256_chain(8, 2));
    }

    #[test]
    fn combining_ignores_order_but_not_pairing() {
        let parts: Vec<(u32, u64)> = (0..16).map(|task| (task, task_checksum(task, 3))).collect();
        let forward = combine_checksums(parts.iter().copied());
        let backward = combine_checksums(parts.iter().rev().copied());
        let mut shuffled = parts.clone();
        shuffled.swap(0, 9);
        shuffled.swap(3, 15);
        assert_eq!(forward, backward);
        assert_eq!(forward, combine_checksums(shuffled));

        let swapped = [(0, parts[1].1), (1, parts[0].1)];
        assert_ne!(
            combine_checksums(swapped),
            combine_checksums(parts[..2].iter().copied())
        );
        assert_ne!(forward, combine_checksums(parts[..15].iter().copied()));
        assert_eq!(combine_checksums([]), 0);
    }

    #[test]
    fn checksums_print_as_16_hex_digits() {
        assert_eq!(format_checksum(0), "0000000000000000");
        assert_eq!(format_checksum(0xDEAD_BEEF), "00000000deadbeef");
        assert_eq!(format_checksum(u64::MAX), "ffffffffffffffff");
    }
}
