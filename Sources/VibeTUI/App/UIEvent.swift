import VibeClient
import VibeProtocol

/// Something an async task hands to the UI thread through `EventQueue`.
enum UIEvent: Sendable {
    /// The session id is known (opened or created).
    case sessionOpened(String)
    /// A step of the wait for the session to be ready.
    case readyProgress(ReadyProgress)
    /// Opening or waiting failed for good: shown once, with a key to retry.
    case openFailed(OpenFailure)
    /// A pane's socket (re)attached; `created` when the server started a new shell for it.
    case attached(PaneID, created: Bool)
    /// The pane's shell was replaced by a new one while disconnected; typed input for the old one was dropped.
    case shellReplaced(PaneID, droppedInputBytes: Int)
    /// The session's stored layout, fetched before the panes open (nil when none or unreadable).
    case layoutRestored(SavedLayout?)
    /// The server's sessions for the session chooser, or why they could not be listed.
    case sessions(Result<[SessionStatus], OpenFailure>)
    /// Output of a pane's remote terminal.
    case output(PaneID, [UInt8])
    /// The pane's output offset was gone: clear its emulator, a replay follows.
    case reset(PaneID)
    /// The pane's shell exited.
    case exited(PaneID, Int32)
    /// The server rejected something sent on a pane's socket.
    case paneError(PaneID, String)
    /// A connection event of a pane's socket.
    case connection(PaneID, ChannelEvent)
    /// The first workspace tree.
    case tree(FileTree)
    /// A message of the fs-events socket.
    case fs(FSEventsMessage)
    /// A connection event of the fs-events socket.
    case fsConnection(ChannelEvent)
    /// What the workspace uses (status socket).
    case env(EnvStatus)
    /// A file read for the viewer, or the error text.
    case fileLoaded(path: String, text: Result<String, OpenFailure>)
    /// The outer terminal changed size (SIGWINCH).
    case windowResized
}

/// A failure shown to the user in plain words: code, message and the request id if the server gave one.
public struct OpenFailure: Error, Sendable, Equatable {
    /// Stable code (`SESSION_FAILED`, `TRANSPORT`, …).
    public var code: String
    /// What happened.
    public var message: String
    /// The server's request id, for support.
    public var requestID: String?

    /// Describes any error thrown by the client library.
    init(_ error: any Error) {
        if let e = error as? VibeClientError {
            code = e.code
            message = e.serverError?.message ?? e.description
            requestID = e.serverError?.requestId
            if case .nonJSON(_, _, _, let id) = e { requestID = id }
        } else if let e = error as? OpenFailure {
            self = e
        } else {
            code = "ERROR"
            message = "\(error)"
            requestID = nil
        }
    }

    /// A failure with explicit parts.
    public init(code: String, message: String, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.requestID = requestID
    }
}
