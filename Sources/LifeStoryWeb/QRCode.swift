/// A QR code (ISO/IEC 18004) for the authenticator app's set-up link, drawn on the server as SVG so the page needs no
/// script. Byte mode, error correction level M, versions 1 to 10 (up to 213 bytes: an `otpauth://` link is about 120).
/// The steps follow the standard: data bits, Reed-Solomon error correction per block, interleaving, function patterns,
/// the zig-zag placement, and the mask with the lowest penalty.
struct QRCode: Sendable {
    let size: Int
    /// `modules[y][x]`: true is dark.
    let modules: [[Bool]]
    let version: Int
    let mask: Int

    enum Failure: Error { case tooLong }

    // Level M, versions 0 (unused) to 10.
    private static let eccPerBlock = [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26]
    private static let blocks = [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5]
    /// Level M's two format bits.
    private static let formatBitsM = 0

    /// Encodes `text` as UTF-8 bytes in the smallest version that holds it. `mask` forces a mask (tests); nil picks
    /// the one with the lowest penalty, as the standard says.
    static func encode(_ text: String, mask forced: Int? = nil) throws -> QRCode {
        let data = Array(text.utf8)
        guard let version = (1...10).first(where: { v in
            4 + (v < 10 ? 8 : 16) + data.count * 8 <= dataCodewords(v) * 8
        }) else { throw Failure.tooLong }
        var grid = Grid(version: version)
        grid.drawFunctionPatterns()
        grid.drawCodewords(interleaved(dataBits(data, version: version), version: version))
        let mask: Int
        if let forced, (0..<8).contains(forced) {
            mask = forced
        } else {
            mask = (0..<8).min { a, b in
                var x = grid, y = grid
                x.apply(mask: a); x.drawFormat(mask: a)
                y.apply(mask: b); y.drawFormat(mask: b)
                return (x.penalty(), a) < (y.penalty(), b)
            } ?? 0
        }
        grid.apply(mask: mask)
        grid.drawFormat(mask: mask)
        return QRCode(size: grid.size, modules: grid.modules, version: version, mask: mask)
    }

    /// The code as an SVG element with a quiet zone of four modules, one path of unit squares.
    func svg(label: String, pixels: Int = 232) -> String {
        let full = size + 8
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard modules[y][x] else { x += 1; continue }
                var run = 1
                while x + run < size && modules[y][x + run] { run += 1 }
                path += "M\(x + 4) \(y + 4)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" class="qr" width="\(pixels)" height="\(pixels)" viewBox="0 0 \(full) \(full)" role="img" aria-label="\(label)" shape-rendering="crispEdges"><rect width="\(full)" height="\(full)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
        """
    }

    // MARK: data

    static func rawModules(_ v: Int) -> Int {
        var result = (16 * v + 128) * v + 64
        if v >= 2 {
            let align = v / 7 + 2
            result -= (25 * align - 10) * align - 55
            if v >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewords(_ v: Int) -> Int { rawModules(v) / 8 - eccPerBlock[v] * blocks[v] }

    /// Mode, count, the bytes, the terminator and the pad bytes.
    static func dataBits(_ data: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)
        append(data.count, version < 10 ? 8 : 16)
        for b in data { append(Int(b), 8) }
        let capacity = dataCodewords(version) * 8
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var bytes = stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { $0 << 1 | (bits[start + $1] ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while bytes.count < dataCodewords(version) {
            bytes.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return bytes
    }

    /// Splits the data into blocks, adds each block's error correction, and interleaves them.
    static func interleaved(_ data: [UInt8], version: Int) -> [UInt8] {
        let count = blocks[version], ecc = eccPerBlock[version]
        let raw = rawModules(version) / 8
        let short = count - raw % count, shortLength = raw / count
        let divisor = ReedSolomon.divisor(degree: ecc)
        var all: [[UInt8]] = []
        var k = 0
        for i in 0..<count {
            var block = Array(data[k..<(k + shortLength - ecc + (i < short ? 0 : 1))])
            k += block.count
            let check = ReedSolomon.remainder(block, divisor: divisor)
            if i < short { block.append(0) }
            all.append(block + check)
        }
        var result: [UInt8] = []
        for i in 0..<all[0].count {
            for (j, block) in all.enumerated() where i != shortLength - ecc || j >= short {
                result.append(block[i])
            }
        }
        return result
    }

    // MARK: the grid

    struct Grid {
        let version: Int
        let size: Int
        var modules: [[Bool]]
        var isFunction: [[Bool]]

        init(version: Int) {
            self.version = version
            size = version * 4 + 17
            modules = Array(repeating: Array(repeating: false, count: size), count: size)
            isFunction = modules
        }

        mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
            modules[y][x] = dark
            isFunction[y][x] = true
        }

        mutating func drawFunctionPatterns() {
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(x + dx) && (0..<size).contains(y + dy) {
                        let distance = max(abs(dx), abs(dy))
                        set(x + dx, y + dy, distance != 2 && distance != 4)
                    }
                }
            }
            let positions = alignmentPositions()
            let last = positions.count - 1
            for i in positions.indices {
                for j in positions.indices where !((i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0)) {
                    for dy in -2...2 {
                        for dx in -2...2 { set(positions[i] + dx, positions[j] + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormat(mask: 0)
            if version >= 7 {
                var remainder = version
                for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
                let bits = version << 12 | remainder
                for i in 0..<18 {
                    let dark = (bits >> i) & 1 == 1
                    let a = size - 11 + i % 3, b = i / 3
                    set(a, b, dark)
                    set(b, a, dark)
                }
            }
        }

        func alignmentPositions() -> [Int] {
            guard version > 1 else { return [] }
            let count = version / 7 + 2
            let step = (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
            var result = [6]
            var position = size - 7
            for _ in 0..<(count - 1) {
                result.insert(position, at: 1)
                position -= step
            }
            return result
        }

        mutating func drawFormat(mask: Int) {
            let data = QRCode.formatBitsM << 3 | mask
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (data << 10 | remainder) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        mutating func drawCodewords(_ data: [UInt8]) {
            var i = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for j in 0..<2 {
                        let x = right - j
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vertical : vertical
                        if !isFunction[y][x] && i < data.count * 8 {
                            modules[y][x] = (data[i >> 3] >> (7 - (i & 7))) & 1 == 1
                            i += 1
                        }
                    }
                }
                right -= 2
            }
        }

        mutating func apply(mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !isFunction[y][x] {
                    let invert = switch mask {
                    case 0: (x + y) % 2 == 0
                    case 1: y % 2 == 0
                    case 2: x % 3 == 0
                    case 3: (x + y) % 3 == 0
                    case 4: (x / 3 + y / 2) % 2 == 0
                    case 5: x * y % 2 + x * y % 3 == 0
                    case 6: (x * y % 2 + x * y % 3) % 2 == 0
                    default: ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                    if invert { modules[y][x].toggle() }
                }
            }
        }

        /// The standard's four penalty rules: long runs, 2x2 blocks, finder-like patterns, unbalanced dark and light.
        func penalty() -> Int {
            var score = 0
            let pattern: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]
            let reversed = Array(pattern.reversed())
            for horizontal in [true, false] {
                for a in 0..<size {
                    let line = (0..<size).map { b in horizontal ? modules[a][b] : modules[b][a] }
                    var run = 1
                    for b in 1..<size {
                        if line[b] == line[b - 1] {
                            run += 1
                        } else {
                            if run >= 5 { score += 3 + run - 5 }
                            run = 1
                        }
                    }
                    if run >= 5 { score += 3 + run - 5 }
                    if size >= 11 {
                        for b in 0...(size - 11) {
                            let window = Array(line[b..<(b + 11)])
                            if window == pattern || window == reversed { score += 40 }
                        }
                    }
                }
            }
            for y in 0..<(size - 1) {
                for x in 0..<(size - 1) {
                    let c = modules[y][x]
                    if c == modules[y][x + 1] && c == modules[y + 1][x] && c == modules[y + 1][x + 1] { score += 3 }
                }
            }
            let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
            let total = size * size
            let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
            score += max(0, k) * 10
            return score
        }
    }

    enum ReedSolomon {
        static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
            var z = 0
            for i in stride(from: 7, through: 0, by: -1) {
                z = (z << 1) ^ ((z >> 7) * 0x11D)
                z ^= Int((y >> i) & 1) * Int(x)
            }
            return UInt8(z & 0xFF)
        }

        static func divisor(degree: Int) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: degree)
            result[degree - 1] = 1
            var root: UInt8 = 1
            for _ in 0..<degree {
                for j in 0..<degree {
                    result[j] = multiply(result[j], root)
                    if j + 1 < degree { result[j] ^= result[j + 1] }
                }
                root = multiply(root, 0x02)
            }
            return result
        }

        static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: divisor.count)
            for b in data {
                let factor = b ^ result.removeFirst()
                result.append(0)
                for i in result.indices { result[i] ^= multiply(divisor[i], factor) }
            }
            return result
        }
    }
}
