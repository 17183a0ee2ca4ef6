import Foundation
import Synchronization
import LifeStoryCore

/// PDFs through WeasyPrint, which reads the same HTML and print CSS as the browser.
public struct WeasyPrint: Sendable {
    public let executable: URL
    /// The Python beside it (in the same virtual environment), for batches through one process.
    public let python: URL?

    public static let installHint = "Install it with: python3 -m venv ~/.cache/lifestory-tools && ~/.cache/lifestory-tools/bin/pip install weasyprint==70.0, then put ~/.cache/lifestory-tools/bin on PATH or set LIFESTORY_WEASYPRINT to its weasyprint. HTML guides work without it."

    /// Finds WeasyPrint: $LIFESTORY_WEASYPRINT, then PATH.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> WeasyPrint {
        var candidates: [String] = []
        if let explicit = environment["LIFESTORY_WEASYPRINT"], !explicit.isEmpty { candidates.append(explicit) }
        for dir in (environment["PATH"] ?? "").split(separator: ":") { candidates.append("\(dir)/weasyprint") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw GuideError.pdf("WeasyPrint was not found, so no PDF was made. " + installHint)
        }
        let url = URL(fileURLWithPath: found)
        let python = url.deletingLastPathComponent().appendingPathComponent("python")
        return WeasyPrint(executable: url, python: FileManager.default.isExecutableFile(atPath: python.path) ? python : nil)
    }

    public struct Job: Sendable {
        public var html: URL
        public var pdf: URL
        public init(html: URL, pdf: URL) {
            self.html = html
            self.pdf = pdf
        }
    }

    static let batchScript = """
    import json, logging, sys
    from weasyprint import HTML
    class Catch(logging.Handler):
        def emit(self, record):
            message = record.getMessage()
            if "notdef" in message or "glyph" in message.lower():
                print("NOTDEF " + message, file=sys.stderr, flush=True)
    logging.getLogger("weasyprint").addHandler(Catch())
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    jobs = json.load(sys.stdin)
    for i, job in enumerate(jobs):
        HTML(filename=job["html"]).write_pdf(job["pdf"], pdf_variant=job["variant"] or None)
        print("done %d" % (i + 1), flush=True)
    """

    /// Renders every job. Through one Python process when the virtual environment allows (start-up is most of
    /// a single document's cost), else one `weasyprint` run each. A missing glyph (.notdef) fails the batch.
    public func render(_ jobs: [Job], archival: Bool, progress: (Int, Int) -> Void = { _, _ in }) throws {
        guard !jobs.isEmpty else { return }
        // A batch uses every core: one WeasyPrint process for each half (layout is single-threaded).
        let cores = min(ProcessInfo.processInfo.activeProcessorCount, 4)
        if python != nil, jobs.count >= 4, cores > 1 {
            let chunks = stride(from: 0, to: jobs.count, by: (jobs.count + cores - 1) / cores).map { Array(jobs[$0..<min($0 + (jobs.count + cores - 1) / cores, jobs.count)]) }
            let failures = Mutex<[any Error]>([])
            let done = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
                do {
                    try renderOne(chunks[i], archival: archival) { _, _ in done.withLock { $0 += 1 } }
                } catch {
                    failures.withLock { $0.append(error) }
                }
            }
            if let first = failures.withLock({ $0.first }) { throw first }
            progress(jobs.count, jobs.count)
            return
        }
        try renderOne(jobs, archival: archival, progress: progress)
    }

    func renderOne(_ jobs: [Job], archival: Bool, progress: (Int, Int) -> Void) throws {
        // Tagged for screen readers (PDF/UA-1: structure tree, language, title); the archive's copies are PDF/A.
        let variant = archival ? "pdf/a-3b" : "pdf/ua-1"
        if let python {
            let payload = try JSONSerialization.data(withJSONObject: jobs.map { ["html": $0.html.path, "pdf": $0.pdf.path, "variant": variant] })
            let (status, out, err) = try run(python, ["-c", Self.batchScript], input: payload) { line in
                if line.hasPrefix("done "), let n = Int(line.dropFirst(5)) { progress(n, jobs.count) }
            }
            try check(status: status, out: out, err: err)
        } else {
            for (i, job) in jobs.enumerated() {
                var args = [job.html.path, job.pdf.path]
                args = ["--pdf-variant", variant] + args
                let (status, out, err) = try run(executable, args, input: nil) { _ in }
                try check(status: status, out: out, err: err)
                progress(i + 1, jobs.count)
            }
        }
    }

    func check(status: Int32, out: String, err: String) throws {
        if err.contains("notdef") {
            throw GuideError.pdf("WeasyPrint could not draw some characters (.notdef glyph): a font is missing. Install fonts-noto-core and fonts-wqy-microhei. \(err.prefix(300))")
        }
        if status != 0 { throw GuideError.pdf("WeasyPrint failed (exit \(status)): \(err.suffix(600))") }
    }

    func run(_ exe: URL, _ args: [String], input: Data?, line: (String) -> Void) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        p.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try p.run()
        if let input {
            inPipe.fileHandleForWriting.write(input)
            try inPipe.fileHandleForWriting.close()
        }
        // Read stderr on another thread so neither pipe fills and stalls WeasyPrint.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        var out = Data(), pending = ""
        while true {
            let chunk = outPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            out.append(chunk)
            pending += String(decoding: chunk, as: UTF8.self)
            while let nl = pending.firstIndex(of: "\n") {
                line(String(pending[..<nl]))
                pending = String(pending[pending.index(after: nl)...])
            }
        }
        p.waitUntilExit()
        group.wait()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: errBox.data, as: UTF8.self))
    }
}

/// Written by one thread, read after `group.wait()`: the group orders the two.
private final class DataBox: @unchecked Sendable { var data = Data() }

/// The text of a PDF (poppler's pdftotext), to scan for protected tokens after rendering.
public enum PDFText {
    public static func extract(_ pdf: URL) throws -> String {
        let candidates = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"]
        guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw GuideError.pdf("pdftotext (poppler-utils) is not installed, so the PDF's text cannot be checked for protected information. The PDF was not released.")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["-layout", pdf.path, "-"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw GuideError.pdf("pdftotext could not read \(pdf.lastPathComponent); the PDF was not released.") }
        // Right-to-left marks that pdftotext inserts would split words.
        return String(decoding: data, as: UTF8.self).filter { !("\u{202A}"..."\u{202E}").contains($0) }
    }
}
