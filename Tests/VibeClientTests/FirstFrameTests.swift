import Foundation
import Testing
import VibeClient
import VibeProtocol

/// A server that speaks first often has its first frames in the same TCP segment as the `101` answer. Every one
/// of those frames must reach the channel, without the first-frame watchdog having to reconnect.
@Suite struct FirstFrameTests {
    @Test func framesBundledWithTheUpgradeAnswerArrive() async throws {
        try await StandInServer.with("bundled-ws") { server in
            let api = VibeAPI(baseURL: server.baseURL)
            for round in 0..<30 {
                let options = ChannelOptions(random: .constant(0), firstFrameTimeout: .seconds(60))
                let channel = await ChannelRegistry().terminal(api: api, session: "s1", options: options)
                let events = channel.events()
                let bytes = try await outputBytes(events, until: 5)
                #expect(bytes == Array("hello".utf8), "round \(round)")
                await channel.close()
            }
        }
    }
}
