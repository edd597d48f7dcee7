//! The stand-in kubelet's `exec` over WebSockets, the way kubectl 1.30+ asks for it first:
//! the `v5.channel.k8s.io` subprotocol (RFC 6455 binary frames whose first byte names the
//! stream: 1 stdout, 2 stderr, 3 the final `Status`). The "container" behaves like `echo`:
//! it prints the command's arguments. Just enough protocol for `kubectl exec ... -- echo`.

use base64::Engine;
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The subprotocol this stand-in speaks.
pub const PROTOCOL: &str = "v5.channel.k8s.io";

/// RFC 6455's fixed suffix for the handshake's accept key.
const HANDSHAKE_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

const STDOUT: u8 = 1;
const ERROR: u8 = 3;

/// The `Sec-WebSocket-Accept` answer to a client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> String {
    let digest = sha1(format!("{key}{HANDSHAKE_GUID}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// Runs the echo "command" on an upgraded connection: its arguments on stdout, a success
/// `Status`, a close frame; then waits for the client to close.
pub async fn run_echo(upgraded: Upgraded, command: Vec<String>) {
    let mut io = TokioIo::new(upgraded);
    let printed = format!("{}\n", command.get(1..).unwrap_or_default().join(" "));
    let status = br#"{"metadata":{},"status":"Success"}"#;
    for (stream, payload) in [(STDOUT, printed.as_bytes()), (ERROR, status.as_slice())] {
        let mut message = vec![stream];
        message.extend_from_slice(payload);
        if io.write_all(&frame(0x2, &message)).await.is_err() {
            return;
        }
    }
    let _ = io.write_all(&frame(0x8, &1000u16.to_be_bytes())).await;
    // Drain whatever the client still sends (its close frame) so closing does not reset.
    let mut sink = [0u8; 1024];
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        while matches!(io.read(&mut sink).await, Ok(read) if read > 0) {}
    })
    .await;
}

/// One unmasked server frame with FIN set.
fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![0x80 | opcode];
    match payload.len() {
        length @ 0..=125 => frame.push(length as u8),
        length @ 126..=0xFFFF => {
            frame.push(126);
            frame.extend_from_slice(&(length as u16).to_be_bytes());
        }
        length => {
            frame.push(127);
            frame.extend_from_slice(&(length as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(payload);
    frame
}

/// SHA-1 (FIPS 180-4), needed only for the handshake's accept key.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut state: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks(64) {
        let mut words = [0u32; 80];
        for (index, word) in block.chunks(4).enumerate() {
            words[index] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for index in 16..80 {
            words[index] =
                (words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16])
                    .rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = state;
        for (index, word) in words.iter().enumerate() {
            let (f, k) = match index {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let next = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = next;
        }
        for (slot, value) in state.iter_mut().zip([a, b, c, d, e]) {
            *slot = slot.wrapping_add(value);
        }
    }
    let mut digest = [0u8; 20];
    for (chunk, value) in digest.chunks_mut(4).zip(state) {
        chunk.copy_from_slice(&value.to_be_bytes());
    }
    digest
}

#[test]
fn the_rfc_6455_example_handshake() {
    assert_eq!(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}
