import VibeProtocol

/// Folds a window of file-system signals into what a client needs: a short list of events,
/// or "send a fresh snapshot" when the window is too big or changes were lost.
///
/// Per path the net effect is kept: created then modified is `created`; created then deleted is
/// nothing; deleted then created is `modified`. Renames pass through as they are.
struct FSEventCoalescer {
    /// More distinct paths than this in one window turn into one snapshot.
    let maxEvents: Int
    private var order: [String] = []
    private var ordered: Set<String> = []
    private var pending: [String: FSEvent] = [:]
    private(set) var needsSnapshot = false

    init(maxEvents: Int = 256) { self.maxEvents = maxEvents }

    /// True when nothing is waiting.
    var isEmpty: Bool { !needsSnapshot && pending.isEmpty }

    /// Adds one signal to the window.
    mutating func add(_ signal: WatchSignal) {
        guard !needsSnapshot else { return }
        guard case .event(let event) = signal else {
            markSnapshot()
            return
        }
        if event.kind == .renamed {
            append(event, key: "\u{0}rename\u{0}\(order.count)")
        } else if let previous = pending[event.path] {
            switch (previous.kind, event.kind) {
            case (.created, .deleted): pending[event.path] = nil
            case (.created, _): break
            case (.deleted, .created): pending[event.path] = FSEvent(path: event.path, kind: .modified, isDir: event.isDir)
            default: pending[event.path] = event
            }
        } else {
            append(event, key: event.path)
        }
        if pending.count > maxEvents { markSnapshot() }
    }

    /// Takes the window's result and starts a new window.
    mutating func drain() -> FSDrain {
        defer {
            order.removeAll(keepingCapacity: true)
            ordered.removeAll(keepingCapacity: true)
            pending.removeAll(keepingCapacity: true)
            needsSnapshot = false
        }
        if needsSnapshot { return .snapshot }
        return .events(order.compactMap { pending[$0] })
    }

    private mutating func append(_ event: FSEvent, key: String) {
        if ordered.insert(key).inserted { order.append(key) }
        pending[key] = event
    }

    private mutating func markSnapshot() {
        needsSnapshot = true
        order.removeAll()
        ordered.removeAll()
        pending.removeAll()
    }
}

/// The result of a coalescing window.
enum FSDrain: Equatable {
    case events([FSEvent])
    case snapshot
}
