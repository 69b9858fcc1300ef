//! The orders the codes can be shown in (issue 16 item 18): the person's own order (Manage's arrows),
//! by name, or by environment. One rule for the CLI's `list --sort` and the app's codes screen; the
//! person's own order is never changed by choosing another one to look at.

use super::account::{Account, Environment};
use std::cmp::Ordering;
use std::str::FromStr;

/// How accounts are listed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// The order set in Manage (`position`).
    #[default]
    Own,
    /// Issuer, then account, then environment (Live, Sandpit, others A-Z, none).
    Name,
    /// Environment first (Live, Sandpit, others A-Z, none), then issuer and account: every Live
    /// login together, every Sandpit one together.
    Environment,
}

impl SortOrder {
    /// The word used in settings, the CLI and IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Own => "own",
            SortOrder::Name => "name",
            SortOrder::Environment => "environment",
        }
    }
}

impl FromStr for SortOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "own" | "" => Ok(SortOrder::Own),
            "name" => Ok(SortOrder::Name),
            "environment" | "env" => Ok(SortOrder::Environment),
            other => Err(format!(
                "unknown order {other:?}: use own, name or environment"
            )),
        }
    }
}

/// Live first (the one that matters most), then Sandpit, then other names A-Z, then no environment.
fn environment_rank(e: &Environment) -> (u8, String) {
    match e {
        Environment::Live => (0, String::new()),
        Environment::Sandpit => (1, String::new()),
        Environment::Custom(name) => (2, name.to_lowercase()),
        Environment::None => (3, String::new()),
    }
}

fn by_name(a: &Account, b: &Account) -> Ordering {
    a.issuer
        .to_lowercase()
        .cmp(&b.issuer.to_lowercase())
        .then_with(|| a.account.to_lowercase().cmp(&b.account.to_lowercase()))
}

/// Sorts `accounts` (stable: equal ones keep their own order) for showing in `order`.
pub fn sort_accounts(accounts: &mut [&Account], order: SortOrder) {
    match order {
        SortOrder::Own => accounts.sort_by_key(|a| a.position),
        SortOrder::Name => accounts.sort_by(|a, b| {
            by_name(a, b)
                .then_with(|| {
                    environment_rank(&a.environment).cmp(&environment_rank(&b.environment))
                })
                .then_with(|| a.position.cmp(&b.position))
        }),
        SortOrder::Environment => accounts.sort_by(|a, b| {
            environment_rank(&a.environment)
                .cmp(&environment_rank(&b.environment))
                .then_with(|| by_name(a, b))
                .then_with(|| a.position.cmp(&b.position))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::secret::Secret;
    use crate::vault::account::NewAccount;

    fn account(issuer: &str, name: &str, env: Environment, position: u32) -> Account {
        let new = NewAccount {
            issuer: issuer.into(),
            account: name.into(),
            secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
            params: OtpParams::default(),
            environment: env,
            note: String::new(),
        };
        Account::new(new, 0, position)
    }

    fn labels(accounts: &[&Account]) -> Vec<String> {
        accounts.iter().map(|a| a.label()).collect()
    }

    #[test]
    fn orders_by_own_name_and_environment() {
        let all = [
            account("nhs spine", "bob", Environment::Sandpit, 0),
            account("EPR", "amy", Environment::None, 1),
            account("NHS Spine", "alice", Environment::Live, 2),
            account("NHS Spine", "alice", Environment::Sandpit, 3),
            account("Lab", "x", Environment::Custom("Training".into()), 4),
        ];
        let mut shown: Vec<&Account> = all.iter().rev().collect();
        sort_accounts(&mut shown, SortOrder::Own);
        assert_eq!(shown[0].position, 0);
        assert_eq!(shown[4].position, 4);

        sort_accounts(&mut shown, SortOrder::Name);
        let names: Vec<(u32, &str)> = shown
            .iter()
            .map(|a| (a.position, a.account.as_str()))
            .collect();
        // Case does not matter; Live before Sandpit for the same login.
        assert_eq!(
            names,
            [(1, "amy"), (4, "x"), (2, "alice"), (3, "alice"), (0, "bob")]
        );

        sort_accounts(&mut shown, SortOrder::Environment);
        let positions: Vec<u32> = shown.iter().map(|a| a.position).collect();
        assert_eq!(positions, [2, 3, 0, 4, 1], "{:?}", labels(&shown));
    }

    #[test]
    fn parses_the_words() {
        assert_eq!("Name".parse(), Ok(SortOrder::Name));
        assert_eq!("env".parse(), Ok(SortOrder::Environment));
        assert_eq!("own".parse(), Ok(SortOrder::Own));
        assert!("size"
            .parse::<SortOrder>()
            .unwrap_err()
            .contains("own, name or environment"));
        for o in [SortOrder::Own, SortOrder::Name, SortOrder::Environment] {
            assert_eq!(o.as_str().parse(), Ok(o));
        }
    }
}
