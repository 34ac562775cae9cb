using System.Globalization;

namespace RideSharing;

/// <summary>The simulated city: a square grid of cells named <c>x:y</c>.</summary>
public static class CityGrid
{
    /// <summary>The cell name of a position.</summary>
    public static string Cell(int x, int y) => string.Create(CultureInfo.InvariantCulture, $"{x}:{y}");

    /// <summary>The position of a cell name.</summary>
    public static (int X, int Y) Parse(string cell)
    {
        var colon = cell.IndexOf(':', StringComparison.Ordinal);
        return (int.Parse(cell.AsSpan(0, colon), CultureInfo.InvariantCulture), int.Parse(cell.AsSpan(colon + 1), CultureInfo.InvariantCulture));
    }
}
