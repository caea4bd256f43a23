import CPTY
import Foundation
import VibeClient

/// The full-screen TUI: a file tree beside multiplexed remote terminal panes.
///
/// One thread owns curses and every emulator; async tasks feed it through an event queue.
public enum TUIApp {
    /// Runs the TUI until the user quits or detaches.
    ///
    /// - Parameters:
    ///   - client: the server's client.
    ///   - settings: keys, editor, tree and history settings.
    ///   - opener: creates or opens the session and returns its id; called again when the user retries.
    /// - Returns: how it ended. The outer terminal is restored on every path (and by a guard on signals).
    public static func run(
        client: VibeClient, settings: TUISettings, opener: @escaping @Sendable () async throws -> String
    ) async throws -> TUIExit {
        let queue = try EventQueue()
        let connector = SessionConnector(client: client, queue: queue, opener: opener)
        let (done, doneSink) = AsyncStream<TUIExit>.makeStream()
        let (controllers, controllerSink) = AsyncStream<ControllerBox>.makeStream()
        _ = cpty_guard_terminal(0, CursesScreen.resetSequence)
        let resize = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        signal(SIGWINCH, SIG_IGN)
        resize.setEventHandler { queue.post(.windowResized) }
        resize.resume()
        let thread = Thread {
            let screen = CursesScreen(logFile: settings.logFile, theme: settings.theme)
            let controller = AppController(screen: screen, connector: connector, queue: queue, settings: settings)
            connector.open()
            var loop = UILoop(controller: controller, queue: queue)
            let end = loop.run()
            screen.end()
            controllerSink.yield(ControllerBox(controller: controller))
            doneSink.yield(end)
        }
        thread.stackSize = 8 << 20
        thread.start()
        var doneIterator = done.makeAsyncIterator()
        let end = await doneIterator.next() ?? .quit
        resize.cancel()
        cpty_release_terminal()
        var controllerIterator = controllers.makeAsyncIterator()
        if let box = await controllerIterator.next() { await box.controller.shutdown() }
        return end
    }
}

/// Hands the controller to the async side once the UI thread is done with it (shutdown only).
private struct ControllerBox: @unchecked Sendable {
    let controller: AppController
}
