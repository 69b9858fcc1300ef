//! Favourites (the accounts the tray menu and the top of the codes screen show first) and the
//! quick-copy search (type a few letters of each word: "spi li" finds "NHS Spine · Live").

use super::account::Account;
use super::error::VaultError;
use super::store::Vault;
use uuid::Uuid;

impl Vault {
    /// Marks or unmarks an account as a favourite. Not a content change: `updated_at` stays.
    pub fn set_favourite(&mut self, id: Uuid, favourite: bool) -> Result<(), VaultError> {
        self.account_mut(id)?.favourite = favourite;
        Ok(())
    }

    /// The favourite accounts, in display order.
    pub fn favourites(&self) -> Vec<&Account> {
        self.accounts().iter().filter(|a| a.favourite).collect()
    }

    /// Every account in the order the codes screen shows them: favourites first, then the rest, each
    /// group in display order.
    pub fn accounts_favourites_first(&self) -> Vec<&Account> {
        let (mut fav, rest): (Vec<&Account>, Vec<&Account>) =
            self.accounts().iter().partition(|a| a.favourite);
        fav.extend(rest);
        fav
    }

    /// The quick-copy search: accounts where every word of `query` starts a word of the issuer, the
    /// account name or the environment (any case), favourites first. An empty query lists them all.
    pub fn quick_find(&self, query: &str) -> Vec<&Account> {
        self.accounts_favourites_first()
            .into_iter()
            .filter(|a| quick_match(a, query))
            .collect()
    }
}

/// Whether every word of `query` is the start of some word of the account's issuer, account name or
/// environment. Words are split at anything that is not a letter or digit, so "spi li" matches
/// "NHS Spine" in Live, and "alice@n" matches "alice@nhs.net".
pub fn quick_match(account: &Account, query: &str) -> bool {
    let words: Vec<String> = [
        account.issuer.as_str(),
        account.account.as_str(),
        account.environment.label(),
    ]
    .iter()
    .flat_map(|s| split_words(s))
    .collect();
    split_words(query)
        .iter()
        .all(|t| words.iter().any(|w| w.starts_with(t.as_str())))
}

fn split_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{CreateOptions, DuplicatePolicy, Environment, NewAccount, Password};
    use crate::{OtpParams, Secret};

    fn vault(dir: &tempfile::TempDir) -> Vault {
        let mut v = Vault::create(
            &dir.path().join("v.tessera"),
            CreateOptions::insecure_for_tests("pw"),
        )
        .unwrap();
        for (issuer, account, env) in [
            ("NHS Spine", "alice", Environment::Live),
            ("NHS Spine", "alice", Environment::Sandpit),
            ("GitHub", "alice@nhs.net", Environment::None),
            ("EPR", "bob", Environment::Custom("Training".into())),
        ] {
            v.add(
                NewAccount {
                    issuer: issuer.into(),
                    account: account.into(),
                    environment: env,
                    secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
                    params: OtpParams::default(),
                    note: String::new(),
                },
                DuplicatePolicy::KeepBoth,
            )
            .unwrap();
        }
        v
    }

    fn names(list: Vec<&Account>) -> Vec<String> {
        list.iter()
            .map(|a| {
                format!("{} {}", a.issuer, a.environment.label())
                    .trim()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn quick_find_matches_the_start_of_every_word() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(&dir);
        assert_eq!(names(v.quick_find("spi li")), ["NHS Spine Live"]);
        assert_eq!(names(v.quick_find("LI spi")), ["NHS Spine Live"]);
        assert_eq!(
            names(v.quick_find("spine")),
            ["NHS Spine Live", "NHS Spine Sandpit"]
        );
        assert_eq!(
            names(v.quick_find("nhs")),
            ["NHS Spine Live", "NHS Spine Sandpit", "GitHub"]
        );
        assert_eq!(names(v.quick_find("train")), ["EPR Training"]);
        // Only word starts count: "pine" is inside "Spine", not at its start.
        assert!(v.quick_find("pine").is_empty());
        assert!(v.quick_find("spi xyz").is_empty());
        assert_eq!(v.quick_find("  ").len(), 4);
    }

    #[test]
    fn favourites_come_first_and_survive_save_and_open() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = vault(&dir);
        let epr = v.accounts()[3].id;
        let before = v.accounts()[3].updated_at;
        v.set_favourite(epr, true).unwrap();
        assert_eq!(v.accounts()[3].updated_at, before);
        assert_eq!(names(v.favourites()), ["EPR Training"]);
        assert_eq!(names(v.accounts_favourites_first())[0], "EPR Training");
        assert_eq!(names(v.quick_find(""))[0], "EPR Training");
        v.save().unwrap();
        let path = v.path().to_path_buf();
        drop(v);
        let mut v =
            Vault::open(&path, crate::vault::Unlock::Password(Password::new("pw"))).unwrap();
        assert!(v.account(epr).unwrap().favourite);
        v.set_favourite(epr, false).unwrap();
        assert!(v.favourites().is_empty());
        assert!(matches!(
            v.set_favourite(Uuid::new_v4(), true),
            Err(VaultError::UnknownAccount(_))
        ));
    }
}
