import Foundation
import Hummingbird
import VibeProtocol

/// The body of `PUT /sessions/{id}/layout`: any JSON object of at most 64 KiB, kept as it came.
enum LayoutDocument {
    /// Reads and checks the body; answers `PAYLOAD_TOO_LARGE` or `INVALID_REQUEST` otherwise.
    static func read(from request: Request) async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: SessionLayoutLimits.maxBytes)
        } catch {
            throw APIError(.payloadTooLarge, "a layout is at most \(SessionLayoutLimits.maxBytes) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        guard (try? JSONSerialization.jsonObject(with: Data(bytes))) is [String: Any] else {
            throw APIError(.invalidRequest, "a layout must be a JSON object")
        }
        return bytes
    }
}
