import Foundation
import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage

/// Guides: one adopter guide to HTML in-process; one to PDF; a batch of PDFs through one WeasyPrint process;
/// each against running WeasyPrint's own command once per document on the same HTML.
func guideBenchmark(batch: Int) throws {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let library = try ContentLibrary.load(from: root.appendingPathComponent("Sources/LifeStoryContent/Resources/Content"))
    let law = try LawBook.bundled()
    let renderer = try GuideRenderer()
    let plans = try Demo.plans()
    guard let sam = plans.first(where: { $0.child.jurisdiction == .england }) else { return }
    let asOf = CalendarDate(year: 2026, month: 11, day: 21)!
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestory-guide-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }

    var htmlTimes: [Double] = []
    var html = ""
    for _ in 0..<50 {
        htmlTimes.append(try time {
            html = try GuideRelease.release(try GuideBuilder.adopterGuide(sam, library: library, law: law, asOf: asOf),
                                            plan: sam, renderer: renderer).html
        })
    }
    // Where the time goes: building the guide, rendering its HTML, and the release scan.
    var buildTimes: [Double] = [], renderTimes: [Double] = [], scanTimes: [Double] = [], shortTimes: [Double] = []
    for _ in 0..<50 {
        var g: Guide?
        buildTimes.append(try time { g = try GuideBuilder.adopterGuide(sam, library: library, law: law, asOf: asOf) })
        var h = ""
        renderTimes.append(time { h = renderer.html(g!, agency: sam.agency.name) })
        scanTimes.append(try time { _ = try GuideRelease.scan(h, audience: .adopter, plan: sam) })
        shortTimes.append(try time {
            _ = try GuideRelease.release(try GuideBuilder.nowAndNext(sam, for: .adopter, library: library, law: law, asOf: asOf), plan: sam, renderer: renderer)
        })
    }
    let shortHTML = dir.appendingPathComponent("short.html")
    try Data(try GuideRelease.release(try GuideBuilder.nowAndNext(sam, for: .adopter, library: library, law: law, asOf: asOf), plan: sam,
                                      renderer: renderer).html.utf8).write(to: shortHTML)
    let adopterHTML = dir.appendingPathComponent("adopter.html")
    try Data(html.utf8).write(to: adopterHTML)
    let weasy = try WeasyPrint.locate()

    var shortPDF: [Double] = []
    for i in 0..<5 {
        shortPDF.append(try time { try weasy.render([.init(html: shortHTML, pdf: dir.appendingPathComponent("n\(i).pdf"))], archival: false) })
    }
    var onePDFBatch: [Double] = []
    var onePDFCommand: [Double] = []
    for i in 0..<5 {
        onePDFBatch.append(try time { try weasy.render([.init(html: adopterHTML, pdf: dir.appendingPathComponent("a\(i).pdf"))], archival: false) })
        onePDFCommand.append(try time { try runWeasyPrintCommand(weasy, adopterHTML, dir.appendingPathComponent("b\(i).pdf")) })
    }

    // The batch: birth-relative summaries, the documents issued most often.
    let summary = try GuideRelease.release(try GuideBuilder.birthRelativeSummary(sam, for: "p-kelly", library: library, law: law, asOf: asOf),
                                           plan: sam, renderer: renderer).html
    var jobs: [WeasyPrint.Job] = []
    for i in 0..<batch {
        let h = dir.appendingPathComponent("s\(i).html")
        try Data(summary.utf8).write(to: h)
        jobs.append(.init(html: h, pdf: dir.appendingPathComponent("s\(i).pdf")))
    }
    let batchTotal = try time { try weasy.render(jobs, archival: false) }
    let commandTotal = try time {
        for (i, job) in jobs.enumerated() { try runWeasyPrintCommand(weasy, job.html, dir.appendingPathComponent("c\(i).pdf")) }
    }
    let pages = try pdfPages(dir.appendingPathComponent("a0.pdf"))
    print("| operation | runs | median ms | p99 ms |")
    print("|---|---|---|---|")
    print(Summary(name: "one adopter guide to HTML in-process (build, render, scan)", times: htmlTimes).row4())
    print(Summary(name: "  of which: building the guide", times: buildTimes).row4())
    print(Summary(name: "  of which: rendering its HTML", times: renderTimes).row4())
    print(Summary(name: "  of which: the release scan", times: scanTimes).row4())
    print(Summary(name: "the short guide, Now and next, to HTML in-process (build, render, scan)", times: shortTimes).row4())
    print(Summary(name: "the short guide (\(try pdfPages(dir.appendingPathComponent("n0.pdf"))) pages) to PDF through Lifestory's WeasyPrint process", times: shortPDF).row4())
    print(Summary(name: "one adopter guide (\(pages) pages) to PDF through Lifestory's WeasyPrint process", times: onePDFBatch).row4())
    print(Summary(name: "the same HTML with the `weasyprint` command", times: onePDFCommand).row4())
    print("")
    print("| batch of \(batch) birth-relative summaries | total s | per document ms |")
    print("|---|---|---|")
    print(String(format: "| through one WeasyPrint process | %.1f | %.0f |", batchTotal / 1000, batchTotal / Double(batch)))
    print(String(format: "| the `weasyprint` command once per document | %.1f | %.0f |", commandTotal / 1000, commandTotal / Double(batch)))
}

func runWeasyPrintCommand(_ w: WeasyPrint, _ html: URL, _ pdf: URL) throws {
    let p = Process()
    p.executableURL = w.executable
    p.arguments = [html.path, pdf.path]
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
}

func pdfPages(_ pdf: URL) throws -> Int {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/pdfinfo")
    p.arguments = [pdf.path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return out.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
}

extension Summary {
    func row4() -> String {
        let s = times.sorted()
        func q(_ p: Double) -> Double { s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)] }
        return "| \(name) | \(s.count) | \(String(format: "%.1f", q(0.5))) | \(String(format: "%.1f", q(0.99))) |"
    }
}
