/// A counter of `PREFERENCES`, such as `ARC26-00001` or `ART000001`: a prefix and a number.
public enum Counter {
    /// The counter after `value` is taken: its trailing digits plus one, keeping their width
    /// (`00099` → `00100`), widened only when they overflow (`99999` → `100000`). A counter
    /// without trailing digits gets `1` after it.
    public static func incremented(_ value: String) -> String {
        // Byte by byte: a document takes two numbers, and characters cost far more here.
        var bytes = Array(value.utf8)
        var index = bytes.count - 1
        while index >= 0, bytes[index] == UInt8(ascii: "9") {
            bytes[index] = UInt8(ascii: "0")
            index -= 1
        }
        if index >= 0, (UInt8(ascii: "0")...UInt8(ascii: "8")).contains(bytes[index]) {
            bytes[index] += 1
        } else {
            bytes.insert(UInt8(ascii: "1"), at: index + 1)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
