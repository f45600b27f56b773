//! Encryption at rest for personal data (ID numbers, phones).
//!
//! A random 256-bit master key is created on first start in the data directory, outside the
//! database, readable by the owner only. Values are sealed with AES-256-GCM under a derived
//! key; lookups use a keyed blind index (HMAC-SHA-256 under a second derived key), so equal
//! values can be found without the database ever holding them in plain text.

use crate::error::{StoreError, StoreResult};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::path::Path;
use std::sync::Arc;

const KEY_FILE: &str = "ronghe.key";

#[derive(Clone)]
pub struct Crypto {
    inner: Arc<Keys>,
}

struct Keys {
    cipher: Aes256Gcm,
    index_key: [u8; 32],
}

fn derive(master: &[u8], label: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("hmac takes any key");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

impl Crypto {
    pub fn from_master(master: &[u8; 32]) -> Self {
        let enc = derive(master, "ronghe/enc/v1");
        let cipher = Aes256Gcm::new_from_slice(&enc).expect("32-byte key");
        Crypto {
            inner: Arc::new(Keys {
                cipher,
                index_key: derive(master, "ronghe/bidx/v1"),
            }),
        }
    }

    /// Loads the master key from `dir`, creating it (mode 0600) when absent.
    pub fn load_or_create(dir: &Path) -> StoreResult<Self> {
        let path = dir.join(KEY_FILE);
        let err = |e: std::io::Error| StoreError::Key(format!("{}: {e}", path.display()));
        std::fs::create_dir_all(dir).map_err(err)?;
        let mut master = [0u8; 32];
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = B64
                    .decode(text.trim())
                    .map_err(|e| StoreError::Key(e.to_string()))?;
                if bytes.len() != 32 {
                    return Err(StoreError::Key(format!(
                        "{} is not a 32-byte key",
                        path.display()
                    )));
                }
                master.copy_from_slice(&bytes);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                rand::thread_rng().fill_bytes(&mut master);
                write_private(&path, &B64.encode(master)).map_err(err)?;
            }
            Err(e) => return Err(err(e)),
        }
        Ok(Self::from_master(&master))
    }

    /// Seals `plain` as base64(nonce || ciphertext).
    pub fn seal(&self, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = self
            .inner
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .expect("AES-GCM encryption does not fail for in-memory data");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        B64.encode(out)
    }

    pub fn open(&self, sealed: &str) -> StoreResult<String> {
        let bad = || StoreError::Key("encrypted value cannot be opened with this key".into());
        let bytes = B64.decode(sealed).map_err(|_| bad())?;
        if bytes.len() < 12 {
            return Err(bad());
        }
        let (nonce, ct) = bytes.split_at(12);
        let plain = self
            .inner
            .cipher
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }

    /// Keyed blind index of a normalized value, for equality lookups.
    pub fn blind_index(&self, kind: &str, value: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.inner.index_key).expect("any key length");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        B64.encode(&mac.finalize().into_bytes()[..16])
    }
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_roundtrip_and_index_is_stable() {
        let c = Crypto::from_master(&[7u8; 32]);
        let sealed = c.seal("11010519491231002X");
        assert!(!sealed.contains("110105"));
        assert_eq!(c.open(&sealed).unwrap(), "11010519491231002X");
        assert_ne!(c.seal("x"), c.seal("x"), "random nonce");
        assert_eq!(c.blind_index("id", "a"), c.blind_index("id", "a"));
        assert_ne!(c.blind_index("id", "a"), c.blind_index("phone", "a"));
        let other = Crypto::from_master(&[8u8; 32]);
        assert!(other.open(&sealed).is_err());
    }

    #[test]
    fn key_file_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let a = Crypto::load_or_create(dir.path()).unwrap();
        let b = Crypto::load_or_create(dir.path()).unwrap();
        assert_eq!(b.open(&a.seal("v")).unwrap(), "v");
    }
}
