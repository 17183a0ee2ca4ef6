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
    /// The exchange on a thread of its own: it blocks while it waits, and the server under test needs the shared
    /// threads of the process to answer.
    static func exchange(port: Int, _ bytes: String, wait: Double) async -> (reply: String, closedAfter: Double?) {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: exchange(port: port, bytes, wait: wait, attempt: 0)) }
            thread.start()
        }
    }

    /// Connects, sends `bytes`, then reads until the server closes the connection or `wait` seconds pass.
    /// Returns what came back and how long the server took to close (nil when it did not close in time).
    static func exchange(port: Int, _ bytes: String, wait: Double, attempt: Int) -> (reply: String, closedAfter: Double?) {
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
        guard connected == 0 else {
            // Under a loaded test run the listener can be slow to accept: try again once.
            usleep(200_000)
            return attempt < 3 ? exchange(port: port, bytes, wait: wait, attempt: attempt + 1) : ("", nil)
        }
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
            if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { return (String(decoding: reply, as: UTF8.self), Date().timeIntervalSince(start)) }
        }
        return (String(decoding: reply, as: UTF8.self), nil)
    }
}

@Suite("Web: slow, stalled and lying clients")
struct ConnectionTests {
    static func services(idle: Double = 3, read: Double = 5) async throws -> WebServices {
        var config = WebConfiguration(port: 0, contentRoot: Fixtures.content,
                                      asOf: Harness.today, bcryptCost: 4, demoPassword: Harness.password, inMemory: true)
        config.staffTwoFactor = false
        config.connectionIdleTimeout = idle
        config.requestReadTimeout = read
        return try await LifeStoryWeb.makeServices(config)
    }

    /// With the default time-outs, so a busy test run (other suites share the process's threads) cannot close the
    /// connection before the answer is written.
    @Test("A body declared far over the limit gets 413 without a byte of it being read, and the connection is closed")
    func declaredTooLarge() async throws {
        let app = LifeStoryWeb.buildApplication(services: try await Self.services(idle: 15, read: 6))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let big = await RawHTTP.exchange(port: port, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000000\r\n\r\n", wait: 12)
            #expect(big.reply.hasPrefix("HTTP/1.1 413"), "\(big.reply.prefix(40)) closed after \(String(describing: big.closedAfter))")
            #expect(big.reply.lowercased().contains("connection: close"))
            #expect(big.closedAfter != nil, "the connection is closed after the 413 (by the read deadline at the latest), not held open for the body")
        }
    }

    @Test("Half-sent requests and trickled bodies are closed by the time-outs")
    func timeouts() async throws {
        let app = LifeStoryWeb.buildApplication(services: try await Self.services())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // Half a request head, then nothing: closed by the idle time-out (3 s here; 15 s by default).
            let half = await RawHTTP.exchange(port: port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ", wait: 20)
            #expect(half.closedAfter != nil, "a stalled request head is closed")
            #expect((half.closedAfter ?? 99) < 12, "closed well before the default 15 s would")
            // A head, then a body that never comes: closed by the read deadline (5 s here; 30 s by default).
            let trickle = await RawHTTP.exchange(port: port, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nemail=", wait: 25)
            #expect(trickle.closedAfter != nil, "a body that stops part-way is closed")
            #expect((trickle.closedAfter ?? 99) < 15, "closed well before the default 30 s would")
            // The server still answers.
            let health = await RawHTTP.exchange(port: port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", wait: 20)
            #expect(health.reply.hasPrefix("HTTP/1.1 200"))
            let head = await RawHTTP.exchange(port: port, "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", wait: 20)
            #expect(head.reply.hasPrefix("HTTP/1.1 200"))
        }
    }
}
