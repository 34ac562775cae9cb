using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using StatefulFunctions.Flink.Protocol.Types;

namespace StatefulFunctions.Flink;

/// <summary>
/// StateFun's built-in types: <c>io.statefun.types/{bool,int,long,float,double,string}</c> and their C# primitives.
/// A value's bytes are its serialized wrapper message (<c>IntWrapper</c> has one <c>sfixed32</c> field, and so on),
/// written here by hand, byte for byte what the generated wrappers write, without allocating a wrapper.
/// </summary>
public static class BuiltInTypes
{
    /// <summary>The typename of <see cref="bool"/>.</summary>
    public const string Bool = "io.statefun.types/bool";

    /// <summary>The typename of <see cref="int"/>.</summary>
    public const string Int = "io.statefun.types/int";

    /// <summary>The typename of <see cref="long"/>.</summary>
    public const string Long = "io.statefun.types/long";

    /// <summary>The typename of <see cref="float"/>.</summary>
    public const string Float = "io.statefun.types/float";

    /// <summary>The typename of <see cref="double"/>.</summary>
    public const string Double = "io.statefun.types/double";

    /// <summary>The typename of <see cref="string"/>.</summary>
    public const string String = "io.statefun.types/string";

    // Field 1 tags: varint (bool), 32-bit (sfixed32, float), 64-bit (sfixed64, double), length-delimited (string).
    private const byte VarintTag = 0x08;
    private const byte Fixed32Tag = 0x0D;
    private const byte Fixed64Tag = 0x09;
    private const byte LengthDelimitedTag = 0x0A;

    /// <summary>The built-in typename of <paramref name="type"/>, or null when it is not a built-in type.</summary>
    public static string? TypeNameOf(Type type) =>
        type == typeof(bool) ? Bool
        : type == typeof(int) ? Int
        : type == typeof(long) ? Long
        : type == typeof(float) ? Float
        : type == typeof(double) ? Double
        : type == typeof(string) ? String
        : null;

    /// <summary>The CLR type of a built-in typename, or null when <paramref name="typeName"/> is not one.</summary>
    public static Type? ClrTypeOf(string typeName) => typeName switch
    {
        Bool => typeof(bool),
        Int => typeof(int),
        Long => typeof(long),
        Float => typeof(float),
        Double => typeof(double),
        String => typeof(string),
        _ => null,
    };

    /// <summary>The bytes of a <c>BooleanWrapper</c>: <c>08 01</c> for true, empty for false.</summary>
    public static byte[] Encode(bool value) => value ? [VarintTag, 1] : [];

    /// <summary>The bytes of an <c>IntWrapper</c> (<c>sfixed32</c>): <c>0D</c> and 4 bytes little-endian, empty for 0.</summary>
    public static byte[] Encode(int value)
    {
        if (value == 0)
        {
            return [];
        }

        var bytes = new byte[5];
        bytes[0] = Fixed32Tag;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), value);
        return bytes;
    }

    /// <summary>The bytes of a <c>LongWrapper</c> (<c>sfixed64</c>): <c>09</c> and 8 bytes little-endian, empty for 0.</summary>
    public static byte[] Encode(long value)
    {
        if (value == 0)
        {
            return [];
        }

        var bytes = new byte[9];
        bytes[0] = Fixed64Tag;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), value);
        return bytes;
    }

    /// <summary>
    /// The bytes of a <c>FloatWrapper</c>: <c>0D</c> and the IEEE 754 bits little-endian. Zero is left out, as
    /// Google.Protobuf leaves it out (-0.0 too, which so reads back as +0.0); NaN is written.
    /// </summary>
    public static byte[] Encode(float value)
    {
        if (value == 0)
        {
            return [];
        }

        var bits = BitConverter.SingleToInt32Bits(value);
        var bytes = new byte[5];
        bytes[0] = Fixed32Tag;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), bits);
        return bytes;
    }

    /// <summary>The bytes of a <c>DoubleWrapper</c>: <c>09</c> and the IEEE 754 bits little-endian; zero (and -0.0) left out.</summary>
    public static byte[] Encode(double value)
    {
        if (value == 0)
        {
            return [];
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var bytes = new byte[9];
        bytes[0] = Fixed64Tag;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), bits);
        return bytes;
    }

    /// <summary>The bytes of a <c>StringWrapper</c>: <c>0A</c>, the UTF-8 length as a varint, the UTF-8; empty for "".</summary>
    public static byte[] Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return [];
        }

        var length = Encoding.UTF8.GetByteCount(value);
        var bytes = new byte[1 + CodedOutputStream.ComputeLengthSize(length) + length];
        bytes[0] = LengthDelimitedTag;
        var offset = 1;
        for (var rest = (uint)length; ; rest >>= 7)
        {
            if (rest < 0x80)
            {
                bytes[offset++] = (byte)rest;
                break;
            }

            bytes[offset++] = (byte)((rest & 0x7F) | 0x80);
        }

        Encoding.UTF8.GetBytes(value, bytes.AsSpan(offset));
        return bytes;
    }

    /// <summary>The bytes of a built-in value; throws when <paramref name="value"/> is not of a built-in type.</summary>
    public static byte[] Encode(object value) => value switch
    {
        bool v => Encode(v),
        int v => Encode(v),
        long v => Encode(v),
        float v => Encode(v),
        double v => Encode(v),
        string v => Encode(v),
        null => throw new ArgumentNullException(nameof(value)),
        _ => throw new ArgumentException($"{value.GetType().FullName} is not a StateFun built-in type (bool, int, long, float, double, string).", nameof(value)),
    };

    /// <summary>
    /// Reads a built-in value (any valid encoding of its wrapper, as protobuf reads it); throws
    /// <see cref="InvalidProtocolBufferException"/> for bytes that are not one, and <see cref="ArgumentException"/> for
    /// a typename that is not built in.
    /// </summary>
    public static object Decode(string typeName, ReadOnlySpan<byte> bytes) => typeName switch
    {
        Bool => BooleanWrapper.Parser.ParseFrom(bytes).Value,
        Int => IntWrapper.Parser.ParseFrom(bytes).Value,
        Long => LongWrapper.Parser.ParseFrom(bytes).Value,
        Float => FloatWrapper.Parser.ParseFrom(bytes).Value,
        Double => DoubleWrapper.Parser.ParseFrom(bytes).Value,
        String => StringWrapper.Parser.ParseFrom(bytes).Value,
        _ => throw new ArgumentException($"'{typeName}' is not a StateFun built-in type.", nameof(typeName)),
    };
}
