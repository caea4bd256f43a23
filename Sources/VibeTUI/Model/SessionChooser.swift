import Foundation
import VibeProtocol

/// The session chooser (prefix `s`): the server's sessions, one selected; Enter switches to it.
struct SessionChooser: Equatable {
    /// The session the TUI shows now (marked, and selected first).
    let current: String?
    /// The sessions, once listed.
    private(set) var sessions: [SessionStatus] = []
    /// Why they could not be listed.
    private(set) var failure: String?
    /// Index of the selected session.
    private(set) var selected = 0
    /// True until the list arrives.
    private(set) var loading = true

    init(current: String?) { self.current = current }

    /// Shows the listed sessions (or the failure), selecting the current one.
    mutating func load(_ result: Result<[SessionStatus], OpenFailure>) {
        loading = false
        switch result {
        case .success(let list):
            sessions = list
            selected = list.firstIndex { $0.id == current } ?? 0
        case .failure(let f):
            failure = "\(f.code): \(f.message)"
        }
    }

    /// Moves the selection by `step`, wrapping around.
    mutating func move(by step: Int) {
        guard !sessions.isEmpty else { return }
        selected = ((selected + step) % sessions.count + sessions.count) % sessions.count
    }

    /// The selected session's id.
    var selectedID: String? { sessions.indices.contains(selected) ? sessions[selected].id : nil }

    /// The overlay's lines: `> id  state  N terms  workspace`, the current session marked with `*`.
    func lines() -> [String] {
        if loading { return ["listing sessions…"] }
        if let failure { return ["cannot list sessions: \(failure)"] }
        if sessions.isEmpty { return ["no sessions"] }
        let idWidth = sessions.map(\.id.count).max() ?? 0
        return sessions.enumerated().map { index, s in
            let pointer = index == selected ? ">" : " "
            let mark = s.id == current ? "*" : " "
            let terms = "\(s.terminals ?? 0) term" + ((s.terminals ?? 0) == 1 ? "" : "s")
            let id = s.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            let state = s.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
            return "\(pointer)\(mark) \(id)  \(state) \(terms)  \(s.workspace ?? "")"
        }
    }
}
