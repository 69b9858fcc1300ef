//! The one rule for "is this new account confused with one already stored?", asked by the CLI's `add`,
//! the app's review form and imports alike: the same issuer and account (ignoring case and surrounding
//! spaces) is a *twin*; a twin in the same environment is a *clash* (a duplicate: replace or keep both);
//! and a second login for a service whose stored logins all name their environment must name its own,
//! so a Live and a Sandpit login are never joined by an unlabelled third.

use super::account::{fold, Environment};
use super::store::Vault;
use uuid::Uuid;

/// What [`Vault::conflicts`] found for one issuer, account and environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conflicts {
    /// Accounts with the same issuer and account, in any environment, in vault order.
    pub twins: Vec<Uuid>,
    /// The twins in the same environment: adding would make a duplicate.
    pub same_environment: Vec<Uuid>,
    /// The environments the twins are in (each once, in vault order).
    pub environments: Vec<Environment>,
    /// The new account has no environment while every twin names one: it must say which it is.
    pub needs_environment: bool,
}

impl Vault {
    /// How an account with this issuer, account and environment relates to the accounts stored now.
    pub fn conflicts(&self, issuer: &str, account: &str, environment: &Environment) -> Conflicts {
        self.conflicts_except(issuer, account, environment, None)
    }

    /// [`Vault::conflicts`] for an edit: the account being edited (`except`) is not its own twin.
    pub fn conflicts_except(
        &self,
        issuer: &str,
        account: &str,
        environment: &Environment,
        except: Option<Uuid>,
    ) -> Conflicts {
        let (issuer, account) = (fold(issuer), fold(account));
        let mut found = Conflicts::default();
        for a in self.accounts() {
            if Some(a.id) == except || fold(&a.issuer) != issuer || fold(&a.account) != account {
                continue;
            }
            found.twins.push(a.id);
            if a.environment == *environment {
                found.same_environment.push(a.id);
            }
            if !found.environments.contains(&a.environment) {
                found.environments.push(a.environment.clone());
            }
        }
        found.needs_environment = environment.is_none()
            && !found.twins.is_empty()
            && found.environments.iter().all(|e| !e.is_none());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::secret::Secret;
    use crate::vault::{CreateOptions, DuplicatePolicy, NewAccount};

    fn vault_with(envs: &[Environment]) -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let mut v = Vault::create(
            &dir.path().join("v.tessera"),
            CreateOptions::insecure_for_tests("correct horse"),
        )
        .unwrap();
        for env in envs {
            let new = NewAccount {
                issuer: "Inhealthcare".into(),
                account: "alice@nhs.net".into(),
                environment: env.clone(),
                secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
                params: OtpParams::totp(),
                note: String::new(),
            };
            v.add(new, DuplicatePolicy::Refuse).unwrap();
        }
        (dir, v)
    }

    #[test]
    fn a_third_unlabelled_login_must_name_its_environment() {
        let (_d, v) = vault_with(&[Environment::Live, Environment::Sandpit]);
        let c = v.conflicts(" inhealthcare ", "ALICE@nhs.net", &Environment::None);
        assert_eq!(c.twins.len(), 2);
        assert!(c.same_environment.is_empty());
        assert_eq!(
            c.environments,
            vec![Environment::Live, Environment::Sandpit]
        );
        assert!(c.needs_environment);
        // Naming one is fine, and naming a taken one is a clash, not a missing environment.
        assert!(
            !v.conflicts(
                "Inhealthcare",
                "alice@nhs.net",
                &Environment::parse("Training")
            )
            .needs_environment
        );
        let clash = v.conflicts("Inhealthcare", "alice@nhs.net", &Environment::Live);
        assert_eq!(clash.same_environment.len(), 1);
        assert!(!clash.needs_environment);
    }

    #[test]
    fn an_unlabelled_twin_is_a_plain_duplicate_and_strangers_do_not_count() {
        let (_d, v) = vault_with(&[Environment::None]);
        let c = v.conflicts("Inhealthcare", "alice@nhs.net", &Environment::None);
        assert_eq!(c.same_environment.len(), 1);
        assert!(!c.needs_environment);
        let none = v.conflicts("Inhealthcare", "bob@nhs.net", &Environment::None);
        assert_eq!(none, Conflicts::default());
    }

    #[test]
    fn an_edited_account_is_not_its_own_twin() {
        let (_d, v) = vault_with(&[Environment::Live, Environment::Sandpit]);
        let live = v.accounts()[0].id;
        let c = v.conflicts_except(
            "Inhealthcare",
            "alice@nhs.net",
            &Environment::Live,
            Some(live),
        );
        assert_eq!(c.twins.len(), 1);
        assert!(c.same_environment.is_empty());
        assert_eq!(c.environments, vec![Environment::Sandpit]);
        let sandpit = v.accounts()[1].id;
        let clash = v.conflicts_except(
            "Inhealthcare",
            "alice@nhs.net",
            &Environment::Sandpit,
            Some(live),
        );
        assert_eq!(clash.same_environment, vec![sandpit]);
    }
}
