//! Argon2id with the cost limits Tessera accepts from files, and out-of-memory as an error instead of an
//! abort (security review finding #4: a 138-byte backup demanding 4 GiB × 64 passes aborted the process).
//!
//! The limits are what Tessera writes times a small margin: m ≤ 1 GiB, t ≤ 10, p ≤ 4 and m × t ≤ 4 GiB
//! passes (1 GiB × 4, libsodium's SENSITIVE level). The memory is reserved with `try_reserve`, so a
//! machine that cannot give it gets an error, and wiped after use.

use zeroize::Zeroizing;

pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
pub const MAX_PASSES: u32 = 10;
pub const MAX_LANES: u32 = 4;
/// Memory × passes, in KiB × passes.
pub const MAX_MEMORY_TIMES_PASSES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgonError {
    /// Outside the limits above (or what Argon2 allows).
    Limits,
    /// The memory could not be reserved.
    OutOfMemory,
}

/// Whether a file's Argon2id parameters are within the limits.
pub fn within_limits(memory_kib: u32, passes: u32, lanes: u32) -> bool {
    (1..=MAX_LANES).contains(&lanes)
        && (1..=MAX_PASSES).contains(&passes)
        && memory_kib >= 8 * lanes
        && memory_kib <= MAX_MEMORY_KIB
        && u64::from(memory_kib) * u64::from(passes) <= MAX_MEMORY_TIMES_PASSES
}

/// Argon2id v1.3 of `password` and `salt` into `out`, within the limits, failing (not aborting) when
/// the memory is not there.
pub fn derive(
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), ArgonError> {
    if !within_limits(memory_kib, passes, lanes) {
        return Err(ArgonError::Limits);
    }
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(out.len()))
        .map_err(|_| ArgonError::Limits)?;
    let blocks_needed = params.block_count();
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut blocks: Zeroizing<Vec<argon2::Block>> = Zeroizing::new(Vec::new());
    blocks
        .try_reserve_exact(blocks_needed)
        .map_err(|_| ArgonError::OutOfMemory)?;
    blocks.resize(blocks_needed, argon2::Block::default());
    argon
        .hash_password_into_with_memory(password, salt, out, &mut blocks[..])
        .map_err(|_| ArgonError::Limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_same_output_as_argon2() {
        assert!(within_limits(64 * 1024, 4, 1));
        assert!(within_limits(1024 * 1024, 4, 4));
        assert!(!within_limits(4 * 1024 * 1024, 64, 16));
        assert!(
            !within_limits(1024 * 1024, 5, 1),
            "m × t above 4 GiB passes"
        );
        assert!(!within_limits(64, 11, 1));
        assert!(!within_limits(64, 1, 5));
        let mut a = [0u8; 32];
        derive(64, 1, 1, b"pw", b"saltsaltsaltsalt", &mut a).unwrap();
        let mut b = [0u8; 32];
        argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(64, 1, 1, Some(32)).unwrap(),
        )
        .hash_password_into(b"pw", b"saltsaltsaltsalt", &mut b)
        .unwrap();
        assert_eq!(a, b);
    }
}
