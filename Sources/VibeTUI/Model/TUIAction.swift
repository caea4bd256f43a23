/// Everything a key binding can do in the TUI. The raw value is the camelCase name; config files use
/// `configName` (snake_case) in their `[keys]` table.
public enum TUIAction: String, CaseIterable, Sendable {
    case splitHorizontal, splitVertical, newWindow, nextWindow, previousWindow, lastWindow
    case selectWindow0, selectWindow1, selectWindow2, selectWindow3, selectWindow4
    case selectWindow5, selectWindow6, selectWindow7, selectWindow8, selectWindow9
    case renameWindow, nextPane, focusLeft, focusRight, focusUp, focusDown
    case resizeLeft, resizeRight, resizeUp, resizeDown, zoomPane, closePane
    case copyMode, paste, toggleTree, focusTree, toggleHUD, commandPrompt, help, sendPrefix
    case chooseSession, detach, quit

    /// snake_case name used in `[keys]` of config.toml: `split_horizontal`, `select_window_3`,
    /// `toggle_hud`.
    public var configName: String {
        var out = ""
        var previousWasUpper = false
        for ch in rawValue {
            if ch.isUppercase || ch.isNumber {
                if !previousWasUpper && !out.isEmpty { out += "_" }
                out += ch.lowercased()
                previousWasUpper = ch.isUppercase
            } else {
                out.append(ch)
                previousWasUpper = false
            }
        }
        return out
    }

    /// Looks an action up by its snake_case config name (or its camelCase raw value).
    public init?(configName: String) {
        if let match = Self.allCases.first(where: { $0.configName == configName || $0.rawValue == configName }) {
            self = match
        } else {
            return nil
        }
    }

    /// The window number for `selectWindow0`…`selectWindow9`, nil for other actions.
    public var windowIndex: Int? {
        guard rawValue.hasPrefix("selectWindow"), let digit = rawValue.last?.wholeNumberValue else { return nil }
        return digit
    }

    /// The direction of a focus or resize action.
    public var direction: Direction? {
        switch self {
        case .focusLeft, .resizeLeft: .left
        case .focusRight, .resizeRight: .right
        case .focusUp, .resizeUp: .up
        case .focusDown, .resizeDown: .down
        default: nil
        }
    }

    /// One line for the help overlay and the user guide.
    public var summary: String {
        if let index = windowIndex { return "Show window \(index)" }
        switch self {
        case .splitHorizontal: return "Split the pane side by side"
        case .splitVertical: return "Split the pane top and bottom"
        case .newWindow: return "Open a new window"
        case .nextWindow: return "Show the next window"
        case .previousWindow: return "Show the previous window"
        case .lastWindow: return "Show the previously shown window"
        case .renameWindow: return "Rename the window"
        case .nextPane: return "Focus the next pane"
        case .focusLeft: return "Focus the pane on the left"
        case .focusRight: return "Focus the pane on the right"
        case .focusUp: return "Focus the pane above"
        case .focusDown: return "Focus the pane below"
        case .resizeLeft: return "Move the pane border left"
        case .resizeRight: return "Move the pane border right"
        case .resizeUp: return "Move the pane border up"
        case .resizeDown: return "Move the pane border down"
        case .zoomPane: return "Zoom the pane to the whole window, or unzoom"
        case .closePane: return "Kill the pane: asks y/n, then ends its shell"
        case .copyMode: return "Scroll back and copy (copy mode)"
        case .paste: return "Paste the copy buffer"
        case .toggleTree: return "Show or hide the file tree"
        case .focusTree: return "Move the focus to the file tree and back"
        case .toggleHUD: return "Show or hide the latency HUD"
        case .commandPrompt: return "Open the command prompt"
        case .help: return "List the key bindings"
        case .sendPrefix: return "Send the prefix key itself to the pane"
        case .chooseSession: return "Choose a session of the server and switch to it"
        case .detach: return "Detach: leave the TUI, the session and its shells keep running"
        case .quit: return "Quit: leave the TUI and end the session's shells (files are kept)"
        default: return rawValue
        }
    }
}
