//! SHA-256 hash chains: each block of the job hashes its seed [`SHA_ROUNDS_PER_BLOCK`] times.
//! Every block costs the same, so any split of the blocks is an even split of the work.

use std::ops::Range;

use super::checksum::sha256_chain;
use super::{fnv1a, item_hash, to_u32, Share};

/// SHA-256 hashes chained in each block of the SHA-256 kernel.
pub const SHA_ROUNDS_PER_BLOCK: u32 = 256;

/// A task's share: the chains of blocks `[start, end)`.
pub(super) fn run(blocks: Range<u64>) -> Share {
    Share {
        items: (blocks.end - blocks.start) * u64::from(SHA_ROUNDS_PER_BLOCK),
        checksum: (to_u32(blocks.start)..to_u32(blocks.end))
            .map(|block| {
                let digest = sha256_chain(block, SHA_ROUNDS_PER_BLOCK);
                item_hash(u64::from(block), fnv1a(&digest))
            })
            .fold(0, u64::wrapping_add),
        partial: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::tests::job;
    use crate::kernel::Kernel;

    #[test]
    fn sha256_blocks_are_the_start_lab_chains() {
        let result = job(Kernel::Sha256, 2, 1).run_task(0).unwrap();
        let expected = (0..2)
            .map(|b| item_hash(u64::from(b), fnv1a(&sha256_chain(b, SHA_ROUNDS_PER_BLOCK))))
            .fold(0, u64::wrapping_add);
        assert_eq!(result.checksum, expected);
        assert_eq!(result.items, 512);
        assert_eq!((result.tile, result.partial), (None, None));
    }
}
