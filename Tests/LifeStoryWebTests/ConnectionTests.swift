import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdTesting
import LifeStoryCore
import LifeStoryTestSupport
import LifeStoryWeb
import Testing

/// Raw HTTP over a socket, to send what a real client library never would: a lying Content-Length, half a request.
enum RawHTTP {
    /// Connects, sends `bytes`, then reads until the server closes the connection or `wait` seconds pass.
    /// Returns what came back and how long the server took to close (nil when it did not close in time).
    static func exchange(port: Int, _ bytes: String, wait: Double) -> (reply: String, closedAfter: Double?) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return ("", nil) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return ("", nil) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        let start = Date()
        var reply = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(start) < wait {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return (String(decoding: reply, as: UTF8.self), Date().timeIntervalSince(start)) }
            if n > 0 { reply += buffer[0..<n] }
            if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return (String(decoding: reply, as: UTF8.self), Date().timeIntervalSince(start)) }
        }
        return (String(decoding: reply, as: UTF8.self), nil)
    }
}

@Suite("Web: slow, stalled and lying clients")
struct ConnectionTests {
    static func services() async throws -> WebServices {
        var config = WebConfiguration(port: 0, contentRoot: Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Content"),
                                      asOf: Harness.today, bcryptCost: 4, demoPassword: Harness.password, inMemory: true)
        config.connectionIdleTimeout = 1
        config.requestReadTimeout = 2
        return try await LifeStoryWeb.makeServices(config)
    }

    @Test("A declared 10 GB body is refused at once; half-sent requests and trickled bodies are closed by the time-outs")
    func timeouts() async throws {
        let app = LifeStoryWeb.buildApplication(services: try await Self.services())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // A body declared far over the limit: 413 straight away, without waiting for the body.
            let big = RawHTTP.exchange(port: port, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000000\r\n\r\n", wait: 5)
            #expect(big.reply.hasPrefix("HTTP/1.1 413"), "\(big.reply.prefix(40))")
            // Half a request head, then nothing: closed by the idle time-out (1 s here; 15 s by default).
            let half = RawHTTP.exchange(port: port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ", wait: 6)
            #expect(half.closedAfter != nil, "a stalled request head is closed")
            #expect((half.closedAfter ?? 99) < 4)
            // A head, then a body that never comes: closed by the read deadline (2 s here; 30 s by default).
            let trickle = RawHTTP.exchange(port: port, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nemail=", wait: 8)
            #expect(trickle.closedAfter != nil, "a body that stops part-way is closed")
            #expect((trickle.closedAfter ?? 99) < 6)
            // The server still answers.
            let health = RawHTTP.exchange(port: port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", wait: 5)
            #expect(health.reply.hasPrefix("HTTP/1.1 200"))
            let head = RawHTTP.exchange(port: port, "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", wait: 5)
            #expect(head.reply.hasPrefix("HTTP/1.1 200"))
        }
    }
}
