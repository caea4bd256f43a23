import CPTY
import Foundation
import Synchronization
import VibeProtocol

/// What a watcher reports: a change, or "changes were lost, take a fresh snapshot".
public enum WatchSignal: Sendable, Equatable, Codable {
    case event(FSEvent)
    case overflow
}

/// Watches a whole workspace tree with inotify; folders that appear are watched as they appear.
///
/// One thread reads the inotify fd; subscribers get ``WatchSignal``s through bounded streams
/// (a subscriber that falls behind gets ``WatchSignal/overflow`` and resynchronises by snapshot).
final class InotifyWatcher: WorkspaceWatcher {
    private let fd: Int32
    private let root: String
    private let state: Mutex<State>
    static let subscriberQueueLimit = 4096

    private struct State {
        var paths: [Int32: String] = [:]  // wd → relative folder path ("" for root)
        var subscribers: [UUID: AsyncStream<WatchSignal>.Continuation] = [:]
        var overflowed: Set<UUID> = []
        var stopped = false
    }

    private static let mask: UInt32 = UInt32(
        IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF
            | IN_ATTRIB) | UInt32(IN_ONLYDIR) | UInt32(IN_DONT_FOLLOW)

    /// Starts watching `root` (which must exist).
    init(root: String) throws {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw POSIXError.current("inotify_init1") }
        self.fd = fd
        self.root = root
        self.state = Mutex(State())
        _ = addTree(relative: "", emit: false)
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "inotify"
        thread.start()
    }

    /// A new subscriber's stream of signals.
    public func subscribe() -> (UUID, AsyncStream<WatchSignal>) {
        let (stream, c) = AsyncStream<WatchSignal>.makeStream(bufferingPolicy: .bufferingOldest(Self.subscriberQueueLimit))
        let id = UUID()
        state.withLock { s in
            if s.stopped { c.finish() } else { s.subscribers[id] = c }
        }
        return (id, stream)
    }

    /// Ends a subscription.
    public func unsubscribe(_ id: UUID) {
        let c = state.withLock { s -> AsyncStream<WatchSignal>.Continuation? in
            s.overflowed.remove(id)
            return s.subscribers.removeValue(forKey: id)
        }
        c?.finish()
    }

    /// Current subscribers.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Stops the reader thread and ends every subscription.
    func stop() {
        let subs = state.withLock { s -> [AsyncStream<WatchSignal>.Continuation] in
            s.stopped = true
            defer { s.subscribers.removeAll() }
            return Array(s.subscribers.values)
        }
        for c in subs { c.finish() }
    }

    /// Watches `relative` and every folder below it; with `emit`, reports what it finds as created
    /// (entries made before the watch was in place would otherwise be missed).
    private func addTree(relative: String, emit: Bool) -> [FSEvent] {
        let absolute = relative.isEmpty ? root : root + "/" + relative
        let wd = inotify_add_watch(fd, absolute, Self.mask)
        guard wd >= 0 else { return [] }
        state.withLock { $0.paths[wd] = relative }
        var found: [FSEvent] = []
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { return [] }
        for name in names {
            let child = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard lstat(root + "/" + child, &st) == 0 else { continue }
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            if emit { found.append(FSEvent(path: child, kind: .created, isDir: isDir)) }
            if isDir { found += addTree(relative: child, emit: emit) }
        }
        return found
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var pendingMoves: [UInt32: (path: String, isDir: Bool)] = [:]
        while !state.withLock({ $0.stopped }) {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, 200)
            if ready <= 0 {
                // Unpaired MOVED_FROM after a quiet poll: the item left the workspace.
                for (_, m) in pendingMoves { publish(.event(FSEvent(path: m.path, kind: .deleted, isDir: m.isDir))) }
                pendingMoves.removeAll()
                publishPendingOverflows()
                continue
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { continue }
            var signals: [WatchSignal] = []
            var offset = 0
            let headerSize = MemoryLayout<inotify_event>.size
            while offset + headerSize <= n {
                let event = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: inotify_event.self) }
                let nameStart = offset + headerSize
                let nameEnd = min(nameStart + Int(event.len), n)
                let name = String(decoding: buffer[nameStart..<nameEnd].prefix { $0 != 0 }, as: UTF8.self)
                offset = nameEnd
                signals += translate(event, name: name, pendingMoves: &pendingMoves)
            }
            for s in signals { publish(s) }
        }
        close(fd)
    }

    private func translate(
        _ event: inotify_event, name: String, pendingMoves: inout [UInt32: (path: String, isDir: Bool)]
    ) -> [WatchSignal] {
        let mask = event.mask
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { return [.overflow] }
        if mask & UInt32(IN_IGNORED) != 0 {
            state.withLock { _ = $0.paths.removeValue(forKey: event.wd) }
            return []
        }
        guard let dir = state.withLock({ $0.paths[event.wd] }), !name.isEmpty else { return [] }
        let path = dir.isEmpty ? name : dir + "/" + name
        let isDir = mask & UInt32(IN_ISDIR) != 0
        if mask & UInt32(IN_CREATE) != 0 {
            var out: [WatchSignal] = [.event(FSEvent(path: path, kind: .created, isDir: isDir))]
            if isDir { out += addTree(relative: path, emit: true).map { .event($0) } }
            return out
        }
        if mask & UInt32(IN_MOVED_FROM) != 0 {
            pendingMoves[event.cookie] = (path, isDir)
            return []
        }
        if mask & UInt32(IN_MOVED_TO) != 0 {
            if isDir { _ = addTree(relative: path, emit: false) }
            if let from = pendingMoves.removeValue(forKey: event.cookie) {
                return [.event(FSEvent(path: path, kind: .renamed, isDir: isDir, oldPath: from.path))]
            }
            var out: [WatchSignal] = [.event(FSEvent(path: path, kind: .created, isDir: isDir))]
            if isDir { out += addTree(relative: path, emit: true).map { .event($0) } }
            return out
        }
        if mask & UInt32(IN_DELETE) != 0 { return [.event(FSEvent(path: path, kind: .deleted, isDir: isDir))] }
        if mask & UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB) != 0 {
            return [.event(FSEvent(path: path, kind: .modified, isDir: isDir))]
        }
        return []
    }

    private func publish(_ signal: WatchSignal) {
        state.withLock { s in
            for (id, c) in s.subscribers where !s.overflowed.contains(id) {
                if case .dropped = c.yield(signal) {
                    // Queue full: drop until the subscriber drains, then tell it to resync.
                    s.overflowed.insert(id)
                }
            }
        }
        publishPendingOverflows()
    }

    private func publishPendingOverflows() {
        state.withLock { s in
            for id in s.overflowed {
                if let c = s.subscribers[id], case .enqueued = c.yield(.overflow) { s.overflowed.remove(id) }
            }
        }
    }
}
