using System.Text;
using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.Scan;

/// <summary>
/// Parses filter text such as <c>status = 'paid' AND (amount &gt;= 10.5 OR note IS NULL) AND id IN (1, 2)</c>
/// and binds it to a schema. Grammar (case-insensitive keywords):
/// <code>
/// expr    := or
/// or      := and ('OR' and)*
/// and     := unary ('AND' unary)*
/// unary   := 'NOT' unary | '(' expr ')' | leaf
/// leaf    := column op literal | column ['NOT'] 'IN' '(' literal (',' literal)* ')' | column 'IS' ['NOT'] 'NULL'
/// op      := = | == | != | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;=
/// literal := number | 'string' ('' escapes a quote) | TRUE | FALSE
/// </code>
/// Literals take the column's type: <c>day = '2024-05-01'</c> on a DATE column is a date.
/// </summary>
public sealed class PredicateParser
{
    private enum Tok { Ident, Number, String, Op, LParen, RParen, Comma, End }
    private readonly record struct Token(Tok Kind, string Text, int Pos);

    private readonly string _text;
    private readonly TableSchema _schema;
    private readonly List<Token> _tokens;
    private int _i;

    private PredicateParser(string text, TableSchema schema)
    {
        _text = text;
        _schema = schema;
        _tokens = Tokenize(text);
    }

    public static Predicate Parse(string text, TableSchema schema)
    {
        if (string.IsNullOrWhiteSpace(text)) throw Error("the filter is empty", 0, text);
        var p = new PredicateParser(text, schema);
        var result = p.ParseOr();
        if (p.Peek.Kind != Tok.End) throw p.ErrorAt(p.Peek, $"unexpected '{p.Peek.Text}'");
        return result;
    }

    private Token Peek => _tokens[_i];
    private Token Next() => _tokens[_i++];
    private bool IsKeyword(string kw) => Peek.Kind == Tok.Ident && string.Equals(Peek.Text, kw, StringComparison.OrdinalIgnoreCase);

    private Predicate ParseOr()
    {
        var left = ParseAnd();
        while (IsKeyword("OR")) { Next(); left = new OrPredicate(left, ParseAnd()); }
        return left;
    }

    private Predicate ParseAnd()
    {
        var left = ParseUnary();
        while (IsKeyword("AND")) { Next(); left = new AndPredicate(left, ParseUnary()); }
        return left;
    }

    private Predicate ParseUnary()
    {
        if (IsKeyword("NOT")) { Next(); return new NotPredicate(ParseUnary()); }
        if (Peek.Kind == Tok.LParen)
        {
            Next();
            var inner = ParseOr();
            Expect(Tok.RParen, "')'");
            return inner;
        }
        return ParseLeaf();
    }

    private Predicate ParseLeaf()
    {
        var col = Next();
        if (col.Kind != Tok.Ident || IsReserved(col.Text))
            throw ErrorAt(col, col.Kind == Tok.End ? "expected a column name, found the end of the filter" : $"expected a column name, found '{col.Text}'");
        int field = _schema.FieldIndex(col.Text);
        if (field < 0)
            throw ErrorAt(col, $"unknown column '{col.Text}' (columns: {string.Join(", ", _schema.Fields.Select(f => f.Name))})");
        var type = _schema.Fields[field].Type;
        var name = _schema.Fields[field].Name;

        if (IsKeyword("IS"))
        {
            Next();
            bool not = false;
            if (IsKeyword("NOT")) { Next(); not = true; }
            if (!IsKeyword("NULL")) throw ErrorAt(Peek, "expected NULL after IS");
            Next();
            return new NullPredicate(field, name, !not);
        }
        bool negatedIn = false;
        if (IsKeyword("NOT")) { Next(); negatedIn = true; if (!IsKeyword("IN")) throw ErrorAt(Peek, "expected IN after NOT"); }
        if (IsKeyword("IN"))
        {
            Next();
            Expect(Tok.LParen, "'(' after IN");
            var literals = new List<object> { ParseLiteral(type, name) };
            while (Peek.Kind == Tok.Comma) { Next(); literals.Add(ParseLiteral(type, name)); }
            Expect(Tok.RParen, "')' to close the IN list");
            return new InPredicate(field, name, literals, negatedIn);
        }
        var op = Next();
        if (op.Kind != Tok.Op) throw ErrorAt(op, $"expected a comparison (=, !=, <, <=, >, >=, IN, IS NULL) after '{name}'");
        var cmp = op.Text switch
        {
            "=" or "==" => CompareOp.Eq,
            "!=" or "<>" => CompareOp.NotEq,
            "<" => CompareOp.Lt,
            "<=" => CompareOp.LtEq,
            ">" => CompareOp.Gt,
            _ => CompareOp.GtEq,
        };
        return new ComparePredicate(field, name, cmp, ParseLiteral(type, name));
    }

    private object ParseLiteral(DataType type, string column)
    {
        var t = Next();
        if (t.Kind == Tok.Ident && string.Equals(t.Text, "NULL", StringComparison.OrdinalIgnoreCase))
            throw ErrorAt(t, $"comparing '{column}' with NULL is never true; use '{column} IS NULL' or IS NOT NULL");
        bool isBool = t.Kind == Tok.Ident && (string.Equals(t.Text, "TRUE", StringComparison.OrdinalIgnoreCase) || string.Equals(t.Text, "FALSE", StringComparison.OrdinalIgnoreCase));
        if (t.Kind is not (Tok.Number or Tok.String) && !isBool)
            throw ErrorAt(t, t.Kind == Tok.End ? "expected a value, found the end of the filter" : $"expected a value, found '{t.Text}'");
        if (t.Kind == Tok.Number && type.Kind is DataTypeKind.String or DataTypeKind.Date or DataTypeKind.Timestamp or DataTypeKind.Bytes)
            throw ErrorAt(t, $"column '{column}' is {type.TypeName}: quote the value ('{t.Text}')");
        try { return Values.ParseLiteral(t.Text, type); }
        catch (InvalidInputException e) { throw ErrorAt(t, $"for column '{column}': {e.Message}"); }
    }

    private void Expect(Tok kind, string what)
    {
        var t = Next();
        if (t.Kind != kind) throw ErrorAt(t, $"expected {what}, found {(t.Kind == Tok.End ? "the end of the filter" : $"'{t.Text}'")}");
    }

    private static bool IsReserved(string s) => s.ToUpperInvariant() is "AND" or "OR" or "NOT" or "IN" or "IS" or "NULL" or "TRUE" or "FALSE";

    private InvalidInputException ErrorAt(Token t, string message) => Error(message, t.Pos, _text);

    private static InvalidInputException Error(string message, int pos, string text) =>
        new($"Invalid filter at column {pos + 1}: {message}. Filter: {text}");

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (c == '(') { tokens.Add(new(Tok.LParen, "(", i++)); continue; }
            if (c == ')') { tokens.Add(new(Tok.RParen, ")", i++)); continue; }
            if (c == ',') { tokens.Add(new(Tok.Comma, ",", i++)); continue; }
            if (c == '\'')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= s.Length) throw Error("unterminated string literal", start, s);
                    if (s[i] == '\'')
                    {
                        if (i + 1 < s.Length && s[i + 1] == '\'') { sb.Append('\''); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(s[i++]);
                }
                tokens.Add(new(Tok.String, sb.ToString(), start));
                continue;
            }
            if (c is '=' or '!' or '<' or '>')
            {
                string op = i + 1 < s.Length ? s.Substring(i, 2) : "";
                if (op is "==" or "!=" or "<>" or "<=" or ">=") { tokens.Add(new(Tok.Op, op, i)); i += 2; continue; }
                if (c == '!') throw Error("'!' must be followed by '='", i, s);
                tokens.Add(new(Tok.Op, c.ToString(), i++));
                continue;
            }
            if (char.IsAsciiDigit(c) || ((c is '-' or '+' or '.') && i + 1 < s.Length && (char.IsAsciiDigit(s[i + 1]) || s[i + 1] == '.')))
            {
                i++;
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '.' || ((s[i] is '-' or '+') && (s[i - 1] is 'e' or 'E'))))
                    i++;
                tokens.Add(new(Tok.Number, s[start..i], start));
                continue;
            }
            if (char.IsLetter(c) || c == '_' || c == '"' || c == '`')
            {
                if (c is '"' or '`')
                {
                    int close = s.IndexOf(c, i + 1);
                    if (close < 0) throw Error("unterminated quoted column name", i, s);
                    tokens.Add(new(Tok.Ident, s[(i + 1)..close], start));
                    i = close + 1;
                    continue;
                }
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_')) i++;
                tokens.Add(new(Tok.Ident, s[start..i], start));
                continue;
            }
            throw Error($"unexpected character '{c}'", i, s);
        }
        tokens.Add(new(Tok.End, "", s.Length));
        return tokens;
    }
}
