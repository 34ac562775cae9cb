using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>
/// HTTP/1.1 over a plain socket to 127.0.0.1, for requests an <see cref="HttpClient"/> will not send: a body shorter
/// than its Content-Length, a malformed chunked body, a client that stops sending but keeps the connection open.
/// </summary>
internal static class RawHttp
{
    /// <summary>
    /// Sends <paramref name="head"/> (the request line and headers, without the blank line) and <paramref name="body"/>;
    /// with <paramref name="endSending"/> then shuts down the sending side of the socket (the body ends early), else
    /// keeps the connection open and silent. Reads the answer until it is complete or the server closes.
    /// </summary>
    public static async Task<RawResponse> SendAsync(BankServer server, string head, byte[] body, bool endSending) =>
        await TrySendAsync(server, head, body, endSending) ?? throw new InvalidOperationException("The server closed the connection without a complete answer.");

    /// <summary>As <see cref="SendAsync"/>; null when the server closed or reset the connection without a complete answer.</summary>
    public static async Task<RawResponse?> TrySendAsync(BankServer server, string head, byte[] body, bool endSending)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var address = server.Http.BaseAddress!;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port, deadline.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(head + "\r\n\r\n"), SocketFlags.None, deadline.Token);
        await socket.SendAsync(body, SocketFlags.None, deadline.Token);
        if (endSending)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        var received = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            while (RawResponse.TryParse(received.ToArray()) is null)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    break;
                }

                received.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        return RawResponse.TryParse(received.ToArray());
    }

    /// <summary>A request head with a Host header and the given lines.</summary>
    public static string Head(BankServer server, string requestLine, params string[] headers) =>
        string.Join("\r\n", [requestLine, string.Create(CultureInfo.InvariantCulture, $"Host: 127.0.0.1:{server.Http.BaseAddress!.Port}"), .. headers]);
}
