import Foundation
import Synchronization

/// Carries keys, resizes and hang-ups from terminal sockets to a workspace agent so that every key
/// reaches its shell exactly once, even when the link breaks while they are under way.
///
/// Each terminal's input is numbered by byte: every `input` call says where its bytes start, and the
/// last ``keptBytes`` sent are kept. After a new link's `hello` (which says how many bytes each shell
/// took), what the agent did not take is sent again; the agent skips bytes it took already, so a key
/// that went out on a dying link and then again on the next one is typed once.
final class InputRelay: Sendable {
    /// Input kept per terminal for sending again (far more than anyone types during one reconnect).
    static let keptBytes = 1 << 20

    private let state = Mutex(State())

    private struct State {
        var link: AgentLink?
        var terminals: [String: Sent] = [:]
    }

    /// What went to one terminal: its byte count (nil until known) and the tail of the bytes.
    private struct Sent {
        var count: UInt64?
        var recent: [UInt8] = []
    }

    /// Sends keys to terminal `name` (kept, and posted when a link is open).
    func write(_ bytes: [UInt8], to name: String) {
        guard !bytes.isEmpty else { return }
        state.withLock { s in
            var sent = s.terminals[name] ?? Sent()
            let offset = sent.count
            if let count = sent.count {
                sent.count = count + UInt64(bytes.count)
                sent.recent.append(contentsOf: bytes)
                if sent.recent.count > Self.keptBytes { sent.recent.removeFirst(sent.recent.count - Self.keptBytes) }
            }
            s.terminals[name] = sent
            // Posted under the lock: two sockets typing into one terminal keep their order.
            if let link = s.link, link.isOpen { link.post(.input(name: name, data: Data(bytes), offset: offset)) }
        }
    }

    /// Posts a resize or hang-up on the open link (dropped without one: the next attach sets the size).
    func post(_ request: AgentRequest) {
        state.withLock { s in
            if let link = s.link, link.isOpen { link.post(request) }
        }
    }

    /// Terminal `name` was opened: a shell it started counts from zero.
    func opened(_ name: String, created: Bool) {
        state.withLock { s in
            if created {
                s.terminals[name] = Sent(count: 0)
            } else if s.terminals[name] == nil {
                // Opened before this server knew its count: numbered from the next hello on.
                s.terminals[name] = Sent()
            }
        }
    }

    /// Switches to a new link whose `hello` reported `taken` (input bytes each running shell took), and
    /// sends each shell what it has not taken yet. Terminals the agent no longer runs are forgotten.
    func relink(_ link: AgentLink, taken: [String: UInt64]) {
        state.withLock { s in
            s.link = link
            var terminals: [String: Sent] = [:]
            for (name, took) in taken {
                guard let sent = s.terminals[name], let count = sent.count, count > took else {
                    terminals[name] = Sent(count: took)
                    continue
                }
                let missing = sent.recent.suffix(Int(min(count - took, UInt64(sent.recent.count))))
                link.post(.input(name: name, data: Data(missing), offset: count - UInt64(missing.count)))
                terminals[name] = sent
            }
            s.terminals = terminals
        }
    }

    /// Forgets the link (the workspace stopped).
    func unlink() { state.withLock { $0.link = nil } }
}
