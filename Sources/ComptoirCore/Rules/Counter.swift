/// A counter of `PREFERENCES`, such as `ARC26-00001` or `ART000001`: a prefix and a number.
public enum Counter {
    /// The counter after `value` is taken: its trailing digits plus one, keeping their width
    /// (`00099` → `00100`), widened only when they overflow (`99999` → `100000`). A counter
    /// without trailing digits gets `1` after it.
    public static func incremented(_ value: String) -> String {
        let digits = value.reversed().prefix(while: \.isASCIIDigit).count
        let prefix = value.dropLast(digits)
        var number = Array(value.suffix(digits))
        var index = number.count - 1
        while index >= 0 {
            if number[index] == "9" {
                number[index] = "0"
                index -= 1
            } else {
                number[index] = Character(UnicodeScalar(number[index].asciiValue! + 1))
                return prefix + String(number)
            }
        }
        return prefix + "1" + String(number)
    }
}
