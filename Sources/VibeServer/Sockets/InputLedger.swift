import Foundation
import Synchronization

/// How many input bytes the server has taken from each client of each terminal, so a client that reconnects
/// resends exactly what never arrived (its `attached` frame carries the count): typed input runs once.
///
/// Keyed by session, terminal and the client's own id (`client=` on the socket URL); bounded, oldest forgotten.
/// Only a client's newest connection may add input: frames an old connection still reads after the client came
/// back on a new one are refused (the client resends them after the count it was given).
final class InputLedger: Sendable {
    private struct Entry {
        var count: UInt64 = 0
        var generation = 0
        /// The ledger's clock at this client's latest connection.
        var begunAt: UInt64 = 0
    }
    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        /// Advances with every connection: orders connections against the start of a new shell.
        var clock: UInt64 = 0
    }
    private let state = Mutex(State())
    /// Most clients remembered.
    static let limit = 4096

    /// The ledger key of one client of one terminal.
    static func key(_ session: String, _ term: String, _ client: String) -> String {
        session + "\u{0}" + term + "\u{0}" + client
    }

    /// A new connection of the client of `key`: the bytes taken from it so far (nil for a client this ledger does not know,
    /// e.g. after a server restart: counting starts now), and the connection's generation.
    func begin(key: String) -> (received: UInt64?, generation: Int) {
        state.withLock { s in
            let known = s.entries[key] != nil
            if !known {
                s.order.append(key)
                if s.order.count > Self.limit { s.entries[s.order.removeFirst()] = nil }
            }
            var entry = s.entries[key, default: Entry()]
            entry.generation += 1
            s.clock += 1
            entry.begunAt = s.clock
            s.entries[key] = entry
            return (known ? entry.count : nil, entry.generation)
        }
    }

    /// Counts `bytes` from connection `generation` of the client of `key`; false (nothing counted) when a newer
    /// connection of the client exists, or the client was forgotten.
    func accept(_ bytes: Int, key: String, generation: Int) -> Bool {
        state.withLock { s in
            guard var entry = s.entries[key], entry.generation == generation else { return false }
            entry.count += UInt64(bytes)
            s.entries[key] = entry
            return true
        }
    }

    /// The ledger's clock now: taken before opening a terminal, so that ``reset(session:term:before:)`` spares
    /// the clients that connected to the new shell while it started.
    func mark() -> UInt64 { state.withLock { $0.clock } }

    /// Forgets the clients of a terminal whose shell is new that connected before `mark` (to the old shell);
    /// a client that connected since counts from its connection, against the new shell.
    func reset(session: String, term: String, before mark: UInt64) {
        let prefix = session + "\u{0}" + term + "\u{0}"
        state.withLock { s in
            let kept = s.entries.filter { !$0.key.hasPrefix(prefix) || $0.value.begunAt > mark }
            s.entries = kept
            s.order.removeAll { kept[$0] == nil }
        }
    }
}

/// One socket's view of the ``InputLedger``. Without a client id every input is taken and nothing is counted.
struct InputCounter: Sendable {
    private let ledger: InputLedger
    /// The ledger key (computed once: `accept` runs for every input frame); nil without a client id.
    private let key: String?
    /// What the ledger had from this client when it attached; nil without a client id or for a client it did
    /// not know.
    let received: UInt64?
    private let generation: Int

    init(ledger: InputLedger, session: String, term: String, client: String?) {
        self.ledger = ledger
        key = client.map { InputLedger.key(session, term, $0) }
        if let key {
            let begun = ledger.begin(key: key)
            (received, generation) = (begun.received, begun.generation)
        } else {
            (received, generation) = (nil, 0)
        }
    }

    /// True when `bytes` of input from this connection are to be written to the shell (and counts them).
    func accept(_ bytes: Int) -> Bool {
        guard let key else { return true }
        return ledger.accept(bytes, key: key, generation: generation)
    }
}
