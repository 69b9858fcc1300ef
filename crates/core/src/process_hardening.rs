//! Process hardening at start-up (security review #27): no core dumps, so a crash (or an abort) never
//! writes keys and secrets to disk. Called first thing by the CLI and the app.
//!
//! `RLIMIT_CORE = 0` on Unix. `PR_SET_DUMPABLE = 0` (which also blocks ptrace by the same user) is in
//! [`crate::hardening::deny_core_dumps`], which the CLI uses; the app has not been tested with it
//! (it makes `/proc/<pid>` root-owned, which WebKit and the Secret Service may read); see
//! docs/security.md.

/// Turns core dumps off for this process and its children. Best effort: returns whether it worked.
pub fn disable_core_dumps() -> bool {
    #[cfg(unix)]
    {
        let zero = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit with a valid pointer to a fully initialised struct.
        unsafe { libc::setrlimit(libc::RLIMIT_CORE, &zero) == 0 }
    }
    #[cfg(not(unix))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn core_limit_is_zero_afterwards() {
        assert!(super::disable_core_dumps());
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: getrlimit writes into a valid struct.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!((limit.rlim_cur, limit.rlim_max), (0, 0));
    }
}
