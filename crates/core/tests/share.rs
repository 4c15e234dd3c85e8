//! Share links: round trips, every malformed case, limits, and the key derivation's cost.

use std::time::Instant;

use ballast_core::share::{
    self, crypto, decode, encode, inspect, is_large_link, link_size, settings_only, DocFile,
    Secret, ShareError, WorkspaceDoc, LARGE_LINK_BYTES, MAX_DECOMPRESSED_BYTES, MAX_FRAGMENT_CHARS,
    NEWEST_VERSION,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use proptest::prelude::*;
use serde_json::json;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sample");

fn sample_doc() -> WorkspaceDoc {
    let read = |f: &str| std::fs::read(format!("{SAMPLE}/{f}")).expect("sample file");
    WorkspaceDoc {
        files: vec![
            DocFile {
                name: "sp500_prices.csv".into(),
                role: share::ROLE_PRICES.into(),
                bytes: read("sp500_prices.csv"),
            },
            DocFile {
                name: "sp500_index.csv".into(),
                role: share::ROLE_BENCHMARK.into(),
                bytes: read("sp500_index.csv"),
            },
            DocFile {
                name: "holdings.csv".into(),
                role: share::ROLE_HOLDINGS.into(),
                bytes: read("holdings.csv"),
            },
        ],
        settings: json!({
            "analysis": {"confidence": 0.95, "horizon_days": 10, "risk_free": 0.0425},
            "correlation": {"method": "pearson", "window": 63},
            "optimise": {"objective": "min_variance", "max_weight": 0.1},
            "limits": [{"name": "VaR", "max": 0.02}]
        }),
        page: "risk".into(),
        app_version: "0.1.0".into(),
    }
}

fn small_doc() -> WorkspaceDoc {
    WorkspaceDoc {
        files: vec![DocFile {
            name: "h.csv".into(),
            role: "holdings".into(),
            bytes: b"ticker,weight\nAAPL,0.5\nMSFT,0.5\n".to_vec(),
        }],
        settings: json!({"a": 1, "b": [1.5, "x", null, true]}),
        page: "overview".into(),
        app_version: "0.1.0".into(),
    }
}

fn secret(pass: &str) -> Secret {
    Secret {
        passphrase: pass.into(),
        salt: [7; 16],
        nonce: [9; 24],
    }
}

/// The frame of the format spec, written independently of the crate.
fn framed(content: &[u8]) -> String {
    let len = (content.len() as u32).to_le_bytes();
    let hc = crc32fast::hash(&len).to_le_bytes();
    let mut f = len.to_vec();
    f.extend_from_slice(&hc[..2]);
    f.extend_from_slice(content);
    f.extend_from_slice(&crc32fast::hash(content).to_le_bytes());
    URL_SAFE_NO_PAD.encode(f)
}

#[test]
fn sample_round_trip_and_size() {
    let doc = sample_doc();
    let raw: usize = doc.files.iter().map(|f| f.bytes.len()).sum();
    let t = Instant::now();
    let frag = encode(&doc, None).unwrap();
    let enc = t.elapsed();
    let t = Instant::now();
    let back = decode(&frag, None).unwrap();
    let dec = t.elapsed();
    assert_eq!(back, doc);
    assert!(frag.starts_with("b1."));
    let env = inspect(&frag).unwrap();
    assert_eq!(env.version, 1);
    assert!(!env.encrypted);
    assert_eq!(env.fragment_len, frag.len());
    let url = "https://example.org/ballast/";
    let size = link_size(frag.len(), url.len());
    println!(
        "sample: {raw} raw bytes → {} deflated → link {size} bytes ({:.1}%); encode {enc:?}, decode {dec:?}",
        env.compressed_len,
        100.0 * size as f64 / raw as f64
    );
    assert!(size <= 1024 * 1024, "sample link is {size} bytes");
    assert!(!is_large_link(frag.len(), url.len()));
    // With a leading '#' and a trailing newline (as pasted).
    assert_eq!(decode(&format!("#{frag}\n"), None).unwrap(), doc);

    let only = settings_only(&doc);
    assert_eq!(only.files.len(), 1);
    assert_eq!(only.files[0].role, "holdings");
    assert_eq!(only.settings, doc.settings);
    let small = encode(&only, None).unwrap();
    println!("sample, settings and holdings only: {} bytes", small.len());
    assert_eq!(decode(&small, None).unwrap(), only);
}

#[test]
fn large_link_threshold() {
    assert_eq!(LARGE_LINK_BYTES, 2 * 1024 * 1024);
    assert_eq!(link_size(100, 20), 121);
    assert!(!is_large_link(LARGE_LINK_BYTES - 21, 20));
    assert!(is_large_link(LARGE_LINK_BYTES, 20));
}

#[test]
fn sample_round_trip_with_passphrase() {
    let doc = sample_doc();
    let s = secret("correct horse battery staple ✓");
    let frag = encode(&doc, Some(&s)).unwrap();
    assert!(frag.starts_with("b1e."));
    let env = inspect(&frag).unwrap();
    assert!(env.encrypted);
    assert_eq!(decode(&frag, None), Err(ShareError::NeedsPassphrase));
    assert_eq!(
        decode(&frag, Some("wrong")),
        Err(ShareError::WrongPassphrase)
    );
    assert_eq!(decode(&frag, Some(&s.passphrase)).unwrap(), doc);
    println!("sample, encrypted: {} bytes", frag.len());
    // A different salt and nonce give a different link that opens the same.
    let s2 = Secret {
        salt: [1; 16],
        nonce: [2; 24],
        ..s.clone()
    };
    let frag2 = encode(&doc, Some(&s2)).unwrap();
    assert_ne!(frag, frag2);
    assert_eq!(decode(&frag2, Some(&s.passphrase)).unwrap(), doc);
    assert!(!format!("{s:?}").contains("horse"));
}

#[test]
fn empty_passphrase_refused() {
    assert_eq!(
        encode(&small_doc(), Some(&secret(""))),
        Err(ShareError::EmptyPassphrase)
    );
}

#[test]
fn kdf_timing() {
    let t = Instant::now();
    let k1 = crypto::derive_key("passphrase", &[0; 16]).unwrap();
    let el = t.elapsed();
    let k2 = crypto::derive_key("passphrase", &[0; 16]).unwrap();
    let k3 = crypto::derive_key("passphrase", &[1; 16]).unwrap();
    assert_eq!(k1, k2);
    assert_ne!(k1, k3);
    println!(
        "Argon2id m={} KiB t={} p={}: {el:?} (this build's profile)",
        crypto::KDF_MEMORY_KIB,
        crypto::KDF_ITERATIONS,
        crypto::KDF_LANES
    );
}

#[test]
fn truncated_links() {
    let doc = small_doc();
    for frag in [
        encode(&doc, None).unwrap(),
        encode(&doc, Some(&secret("pw"))).unwrap(),
    ] {
        let p = if frag.starts_with("b1e.") { 4 } else { 3 };
        let n = frag.len();
        for cut in [p, p + 1, p + 5, p + 9, n / 2, n - 7, n - 3, n - 1] {
            let got = decode(&frag[..cut], Some("pw"));
            assert_eq!(got, Err(ShareError::Truncated), "cut at {cut} of {n}");
            assert_eq!(inspect(&frag[..cut]), Err(ShareError::Truncated));
        }
    }
}

#[test]
fn flipped_bits() {
    let doc = sample_doc();
    let frag = encode(&doc, None).unwrap();
    let payload = URL_SAFE_NO_PAD.decode(&frag[3..]).unwrap();
    for pos in [
        0,
        3,
        4,
        5,
        6,
        100,
        payload.len() / 2,
        payload.len() - 5,
        payload.len() - 1,
    ] {
        for bit in [0, 3, 7] {
            let mut p = payload.clone();
            p[pos] ^= 1 << bit;
            let bad = format!("b1.{}", URL_SAFE_NO_PAD.encode(&p));
            assert_eq!(
                decode(&bad, None),
                Err(ShareError::Corrupted),
                "byte {pos} bit {bit}"
            );
        }
    }
    // A flipped bit in the text itself (which may leave the base64url alphabet).
    for pos in [3, 10, frag.len() / 3, frag.len() - 2] {
        let mut t = frag.clone().into_bytes();
        t[pos] ^= 0b10;
        let bad = String::from_utf8(t).unwrap();
        assert_eq!(decode(&bad, None), Err(ShareError::Corrupted), "char {pos}");
    }
    // Encrypted: damage is reported as damage (checksum), not as a wrong passphrase.
    let small = small_doc();
    let frag = encode(&small, Some(&secret("pw"))).unwrap();
    let payload = URL_SAFE_NO_PAD.decode(&frag[4..]).unwrap();
    for pos in [6, 10, 30, payload.len() - 20, payload.len() - 5] {
        let mut p = payload.clone();
        p[pos] ^= 0x10;
        let bad = format!("b1e.{}", URL_SAFE_NO_PAD.encode(&p));
        assert_eq!(decode(&bad, Some("pw")), Err(ShareError::Corrupted));
        assert_eq!(inspect(&bad), Err(ShareError::Corrupted));
    }
}

#[test]
fn future_version() {
    let frag = encode(&small_doc(), None).unwrap();
    let future = frag.replacen("b1.", "b2.", 1);
    let want = Err(ShareError::UnsupportedVersion {
        found: 2,
        newest: NEWEST_VERSION,
    });
    assert_eq!(decode(&future, None), want);
    assert_eq!(inspect(&future).err(), want.err());
    assert_eq!(
        decode("b17e.AAAA", Some("x")),
        Err(ShareError::UnsupportedVersion {
            found: 17,
            newest: 1
        })
    );
    let msg = ShareError::UnsupportedVersion {
        found: 2,
        newest: 1,
    }
    .to_string();
    assert_eq!(
        msg,
        "this link was made by a newer Ballast (format 2); this version reads up to 1"
    );
}

#[test]
fn foreign_fragments() {
    let random = URL_SAFE_NO_PAD.encode(b"some random bytes that are not ballast");
    for f in [
        "",
        "#",
        "#section-2",
        "section-2",
        "b",
        "b.",
        "b0.AAAA",
        "b01.AAAA",
        "bx.AAAA",
        "b1",
        "b1x.AAAA",
        "B1.AAAA",
        "/path?q=1",
        random.as_str(),
    ] {
        assert_eq!(decode(f, None), Err(ShareError::NotBallast), "{f:?}");
    }
    // The right prefix on someone else's bytes: fails the frame checks.
    let got = decode(&format!("b1.{random}"), None);
    assert!(
        matches!(got, Err(ShareError::Corrupted | ShareError::Truncated)),
        "{got:?}"
    );
    assert_eq!(decode("b1.", None), Err(ShareError::Truncated));
    assert_eq!(decode("b1.abc$def", None), Err(ShareError::Corrupted));
    assert_eq!(
        ShareError::NotBallast.to_string(),
        "this link is not a Ballast workspace"
    );
}

#[test]
fn passphrase_cases() {
    let doc = small_doc();
    let frag = encode(&doc, Some(&secret("open sesame"))).unwrap();
    assert_eq!(decode(&frag, None), Err(ShareError::NeedsPassphrase));
    assert_eq!(decode(&frag, Some("")), Err(ShareError::WrongPassphrase));
    assert_eq!(
        decode(&frag, Some("open Sesame")),
        Err(ShareError::WrongPassphrase)
    );
    assert_eq!(decode(&frag, Some("open sesame")).unwrap(), doc);
    // A plain link ignores a passphrase.
    let plain = encode(&doc, None).unwrap();
    assert_eq!(decode(&plain, Some("anything")).unwrap(), doc);
    // Swapping the prefix of an encrypted payload fails the authentication (prefix is AAD)
    // or the body parse, never returns a document.
    let swapped = frag.replacen("b1e.", "b1.", 1);
    assert!(decode(&swapped, None).is_err());
}

#[test]
fn decompression_bomb() {
    // 64 MiB + 1 zero bytes deflate to ~65 KB; the inflater stops at the limit.
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; MAX_DECOMPRESSED_BYTES + 1], 10);
    assert!(bomb.len() < 200_000, "bomb is {} bytes", bomb.len());
    let frag = format!("b1.{}", framed(&bomb));
    assert!(inspect(&frag).is_ok());
    assert_eq!(
        decode(&frag, None),
        Err(ShareError::TooLarge {
            limit: MAX_DECOMPRESSED_BYTES
        })
    );
}

#[test]
fn malformed_bodies() {
    let deflated = |b: &[u8]| {
        format!(
            "b1.{}",
            framed(&miniz_oxide::deflate::compress_to_vec(b, 6))
        )
    };
    let invalid = |f: &str| matches!(decode(f, None), Err(ShareError::Invalid { .. }));
    assert!(invalid(&format!(
        "b1.{}",
        framed(b"not deflate at all \xff\xff")
    )));
    assert!(invalid(&deflated(b"")));
    assert!(invalid(&deflated(b"\x03{x}")));
    // settings "{}", page, version, then a file count over the limit
    let mut b = b"\x02{}\x00\x00".to_vec();
    b.extend_from_slice(&[0xff, 0xff, 0x03]);
    let got = decode(&deflated(&b), None);
    assert!(
        matches!(&got, Err(ShareError::Invalid { what }) if what.contains("files")),
        "{got:?}"
    );
    // one file whose size runs past the end
    let b = b"\x02{}\x00\x00\x01\x01a\x01b\x05abc";
    assert!(invalid(&deflated(b)));
    // trailing bytes after the last file
    let b = b"\x02{}\x00\x00\x01\x01a\x01b\x02abc";
    assert!(invalid(&deflated(b)));
    // and the same body without the trailing byte is a valid document
    let doc = decode(&deflated(b"\x02{}\x00\x00\x01\x01a\x01b\x02ab"), None).unwrap();
    assert_eq!(doc.files[0].bytes, b"ab");
    // a name that is not UTF-8
    assert!(invalid(&deflated(b"\x02{}\x00\x00\x01\x01\xff\x01b\x00")));
    // an over-long number
    assert!(invalid(&deflated(&[0xff; 12])));
}

#[test]
fn too_many_files_refused_on_encode() {
    let mut doc = small_doc();
    doc.files = vec![doc.files[0].clone(); share::MAX_FILES + 1];
    assert!(matches!(
        encode(&doc, None),
        Err(ShareError::Invalid { .. })
    ));
}

#[test]
fn oversized_fragment() {
    let huge = format!("b1.{}", "A".repeat(MAX_FRAGMENT_CHARS + 1));
    let want = Err(ShareError::TooLarge {
        limit: MAX_FRAGMENT_CHARS,
    });
    assert_eq!(decode(&huge, None), want);
    assert_eq!(inspect(&huge).err(), want.err());
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".*".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(".*", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("données · 株価 · 📈.csv".to_string()),
        Just(String::new()),
        ".*",
    ]
}

fn arb_doc() -> impl Strategy<Value = WorkspaceDoc> {
    let file = (
        arb_name(),
        prop_oneof![
            Just("prices".to_string()),
            Just("holdings".to_string()),
            Just("benchmark".to_string()),
            ".*"
        ],
        prop::collection::vec(any::<u8>(), 0..2000),
    )
        .prop_map(|(name, role, bytes)| DocFile { name, role, bytes });
    (
        prop::collection::vec(file, 0..5),
        arb_json(),
        arb_name(),
        ".*",
    )
        .prop_map(|(files, settings, page, app_version)| WorkspaceDoc {
            files,
            settings,
            page,
            app_version,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn round_trip_plain(doc in arb_doc()) {
        let frag = encode(&doc, None).unwrap();
        prop_assert_eq!(decode(&frag, None).unwrap(), doc);
    }

    #[test]
    fn decode_never_panics(s in ".{0,300}") {
        let _ = decode(&s, Some("x"));
        let _ = inspect(&s);
        let _ = decode(&format!("b1.{s}"), None);
        let _ = decode(&format!("b1e.{s}"), Some("x"));
    }

    #[test]
    fn decode_never_panics_on_framed_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        // Past the checksum: arbitrary deflate data and arbitrary bodies.
        let _ = decode(&format!("b1.{}", framed(&bytes)), None);
        let body = miniz_oxide::deflate::compress_to_vec(&bytes, 1);
        let _ = decode(&format!("b1.{}", framed(&body)), None);
    }
}

proptest! {
    // Each case runs the (deliberately slow) key derivation twice.
    #![proptest_config(ProptestConfig::with_cases(4))]

    #[test]
    fn round_trip_encrypted(
        doc in arb_doc(),
        pass in ".{1,40}",
        salt in any::<[u8; 16]>(),
        nonce in any::<[u8; 24]>(),
    ) {
        let s = Secret { passphrase: pass.clone(), salt, nonce };
        let frag = encode(&doc, Some(&s)).unwrap();
        prop_assert_eq!(decode(&frag, None), Err(ShareError::NeedsPassphrase));
        prop_assert_eq!(decode(&frag, Some(&pass)).unwrap(), doc);
    }
}
