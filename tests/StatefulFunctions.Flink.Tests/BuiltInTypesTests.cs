using Google.Protobuf;
using StatefulFunctions.Flink.Protocol.Types;

namespace StatefulFunctions.Flink.Tests;

/// <summary>The built-in type encodings, byte for byte what protobuf writes for StateFun's wrapper messages.</summary>
public sealed class BuiltInTypesTests
{
    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "0D01000000")]
    [InlineData(-1, "0DFFFFFFFF")]
    [InlineData(int.MaxValue, "0DFFFFFF7F")]
    [InlineData(int.MinValue, "0D00000080")]
    public void Int_is_an_sfixed32_wrapper(int value, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(BuiltInTypes.Encode(value)));
        Assert.Equal(new IntWrapper { Value = value }.ToByteArray(), BuiltInTypes.Encode(value));
        Assert.Equal(value, BuiltInTypes.Decode(BuiltInTypes.Int, BuiltInTypes.Encode(value)));
    }

    [Theory]
    [InlineData(0L, "")]
    [InlineData(1L, "090100000000000000")]
    [InlineData(-1L, "09FFFFFFFFFFFFFFFF")]
    [InlineData(long.MaxValue, "09FFFFFFFFFFFFFF7F")]
    [InlineData(long.MinValue, "090000000000000080")]
    public void Long_is_an_sfixed64_wrapper(long value, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(BuiltInTypes.Encode(value)));
        Assert.Equal(new LongWrapper { Value = value }.ToByteArray(), BuiltInTypes.Encode(value));
        Assert.Equal(value, BuiltInTypes.Decode(BuiltInTypes.Long, BuiltInTypes.Encode(value)));
    }

    [Theory]
    [InlineData(true, "0801")]
    [InlineData(false, "")]
    public void Bool_is_a_varint_wrapper(bool value, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(BuiltInTypes.Encode(value)));
        Assert.Equal(new BooleanWrapper { Value = value }.ToByteArray(), BuiltInTypes.Encode(value));
        Assert.Equal(value, BuiltInTypes.Decode(BuiltInTypes.Bool, BuiltInTypes.Encode(value)));
    }

    public static TheoryData<float> Floats => new() { 0f, -0f, 1.5f, -1.5f, float.MinValue, float.MaxValue, float.Epsilon, float.NaN, float.PositiveInfinity, float.NegativeInfinity };

    [Theory]
    [MemberData(nameof(Floats))]
    public void Float_matches_the_wrapper_bit_for_bit(float value)
    {
        Assert.Equal(new FloatWrapper { Value = value }.ToByteArray(), BuiltInTypes.Encode(value));
        var read = (float)BuiltInTypes.Decode(BuiltInTypes.Float, BuiltInTypes.Encode(value));
        Assert.Equal(BitConverter.SingleToInt32Bits(value == 0 ? 0f : value), BitConverter.SingleToInt32Bits(read)); // -0.0 reads as +0.0, as with protobuf
    }

    public static TheoryData<double> Doubles => new() { 0d, -0d, 1.5d, -1.5d, double.MinValue, double.MaxValue, double.Epsilon, double.NaN, double.PositiveInfinity, double.NegativeInfinity };

    [Theory]
    [MemberData(nameof(Doubles))]
    public void Double_matches_the_wrapper_bit_for_bit(double value)
    {
        Assert.Equal(new DoubleWrapper { Value = value }.ToByteArray(), BuiltInTypes.Encode(value));
        var read = (double)BuiltInTypes.Decode(BuiltInTypes.Double, BuiltInTypes.Encode(value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value == 0 ? 0d : value), BitConverter.DoubleToInt64Bits(read)); // -0.0 reads as +0.0, as with protobuf
    }

    [Fact]
    public void Float_one_and_a_half_is_the_documented_bytes() => Assert.Equal("0D0000C03F", Convert.ToHexString(BuiltInTypes.Encode(1.5f)));

    [Theory]
    [InlineData("", "")]
    [InlineData("hi", "0A026869")]
    [InlineData("é✓😀", null)]
    public void String_is_a_length_delimited_utf8_wrapper(string value, string? hex)
    {
        if (hex is not null)
        {
            Assert.Equal(hex, Convert.ToHexString(BuiltInTypes.Encode(value)));
        }

        Assert.Equal(new StringWrapper { Value = value }.ToByteArray(), BuiltInTypes.Encode(value));
        Assert.Equal(value, BuiltInTypes.Decode(BuiltInTypes.String, BuiltInTypes.Encode(value)));
    }

    [Fact]
    public void A_string_longer_than_127_bytes_has_a_two_byte_length()
    {
        var value = new string('x', 300);
        Assert.Equal(new StringWrapper { Value = value }.ToByteArray(), BuiltInTypes.Encode(value));
    }

    [Fact]
    public void Bulk_random_values_match_the_wrappers_and_round_trip()
    {
        var random = new Random(20261123);
        var buffer = new byte[8];
        for (var i = 0; i < 10_000; i++)
        {
            random.NextBytes(buffer);
            var (int32, int64) = (BitConverter.ToInt32(buffer), BitConverter.ToInt64(buffer));
            var (single, dbl) = (BitConverter.ToSingle(buffer), BitConverter.ToDouble(buffer));
            var text = new string(Enumerable.Range(0, random.Next(0, 200)).Select(_ => (char)random.Next(0x20, 0xD7FF)).ToArray());

            Assert.Equal(new IntWrapper { Value = int32 }.ToByteArray(), BuiltInTypes.Encode(int32));
            Assert.Equal(new LongWrapper { Value = int64 }.ToByteArray(), BuiltInTypes.Encode(int64));
            Assert.Equal(new FloatWrapper { Value = single }.ToByteArray(), BuiltInTypes.Encode(single));
            Assert.Equal(new DoubleWrapper { Value = dbl }.ToByteArray(), BuiltInTypes.Encode(dbl));
            Assert.Equal(new StringWrapper { Value = text }.ToByteArray(), BuiltInTypes.Encode(text));
            Assert.Equal(int32, BuiltInTypes.Decode(BuiltInTypes.Int, BuiltInTypes.Encode(int32)));
            Assert.Equal(int64, BuiltInTypes.Decode(BuiltInTypes.Long, BuiltInTypes.Encode(int64)));
            Assert.Equal(text, BuiltInTypes.Decode(BuiltInTypes.String, BuiltInTypes.Encode(text)));
        }
    }

    [Fact]
    public void Typenames_map_both_ways_and_other_types_are_refused()
    {
        foreach (var type in new[] { typeof(bool), typeof(int), typeof(long), typeof(float), typeof(double), typeof(string) })
        {
            Assert.Equal(type, BuiltInTypes.ClrTypeOf(BuiltInTypes.TypeNameOf(type)!));
        }

        Assert.Null(BuiltInTypes.TypeNameOf(typeof(decimal)));
        var error = Assert.Throws<ArgumentException>(() => BuiltInTypes.Encode(1.5m));
        Assert.Contains("System.Decimal is not a StateFun built-in type", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidProtocolBufferException>(() => BuiltInTypes.Decode(BuiltInTypes.Int, [0x0D, 0x01]));
    }
}
