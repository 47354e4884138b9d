import Foundation

/// What a read's `Accept` header asks for, by its qualities (`q=`): CSV when it names `text/csv`
/// (or `text/*`) with a quality above zero and at least JSON's; JSON otherwise, as without the
/// header. Each type takes the quality of its most specific range.
enum AcceptHeader {
    static func prefersCSV(_ header: String?) -> Bool {
        guard let header else { return false }
        var csv: (specificity: Int, quality: Double)?
        var json: (specificity: Int, quality: Double)?
        for range in header.lowercased().split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = parts.first else { continue }
            let quality =
                parts.dropFirst().lazy.compactMap { parameter -> Double? in
                    let pair = parameter.split(separator: "=", maxSplits: 1).map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                    return pair.count == 2 && pair[0] == "q" ? Double(pair[1]) : nil
                }.first ?? 1
            let csvSpecificity = ["text/csv": 2, "text/*": 1, "*/*": 0][type]
            let jsonSpecificity = ["application/json": 2, "application/*": 1, "*/*": 0][type]
            if let specificity = csvSpecificity, specificity > csv?.specificity ?? -1 {
                csv = (specificity, quality)
            }
            if let specificity = jsonSpecificity, specificity > json?.specificity ?? -1 {
                json = (specificity, quality)
            }
        }
        guard let csv, csv.specificity > 0, csv.quality > 0 else { return false }
        return csv.quality >= json?.quality ?? 0
    }
}
