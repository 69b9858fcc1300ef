//! Process hardening for the command line (security review #27), callable by the app too:
//! [`deny_core_dumps`] turns core dumps off (`RLIMIT_CORE = 0`, so an abort never writes keys and
//! secrets to disk) and, on Linux, marks the process not dumpable (`PR_SET_DUMPABLE = 0`), which also
//! stops other processes of the same user from attaching a debugger (ptrace) or reading its memory
//! through `/proc/<pid>/mem`. Root (or `CAP_SYS_PTRACE`) is not stopped by this.
//!
//! Side effect: `/proc/<pid>` of a non-dumpable process belongs to root, so other same-user tools
//! cannot read its `environ` or `cmdline` either (the process itself still can). The flag is reset
//! when a program is started with `exec`, so child programs are unaffected.

/// Turns core dumps and same-user ptrace off for this process. Best effort: returns whether every
/// step worked (on systems without the Linux flag, whether the core limit was set).
pub fn deny_core_dumps() -> bool {
    let limit = crate::process_hardening::disable_core_dumps();
    limit && set_not_dumpable()
}

#[cfg(target_os = "linux")]
fn set_not_dumpable() -> bool {
    // SAFETY: prctl(PR_SET_DUMPABLE, 0) takes plain integers and touches no memory of ours.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0 as libc::c_ulong, 0, 0, 0) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn set_not_dumpable() -> bool {
    true
}

/// Whether this process may be dumped or traced by same-user processes (Linux; `None` elsewhere).
pub fn is_dumpable() -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl(PR_GET_DUMPABLE) takes no pointers.
        let flag = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
        Some(flag != 0)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    const CHILD: &str = "TESSERA_HARDENING_TEST_CHILD";

    /// Runs in a child process (the flag cannot be undone, and must not change the test runner).
    #[test]
    fn a_child_that_denies_core_dumps_is_not_dumpable() {
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "hardening::tests::child_denies_core_dumps",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("before: dumpable=true"), "{stdout}");
        assert!(stdout.contains("after: dumpable=false core=0"), "{stdout}");
        // The runner itself was left alone.
        assert_eq!(super::is_dumpable(), Some(true));
    }

    #[test]
    #[ignore = "run by a_child_that_denies_core_dumps_is_not_dumpable in a child process"]
    fn child_denies_core_dumps() {
        assert_eq!(
            std::env::var(CHILD).as_deref(),
            Ok("1"),
            "run only as a child"
        );
        println!("before: dumpable={}", super::is_dumpable().unwrap());
        assert!(super::deny_core_dumps());
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: getrlimit writes into a valid struct.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        println!(
            "after: dumpable={} core={}",
            super::is_dumpable().unwrap(),
            limit.rlim_cur
        );
    }
}
