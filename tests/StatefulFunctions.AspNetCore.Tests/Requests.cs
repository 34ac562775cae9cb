using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>Request bodies, verbatim URLs and problem assertions shared by the endpoint tests.</summary>
internal static class Requests
{
    public static ByteArrayContent Json(string body, string contentType, string? messageType = null) =>
        Bytes(Encoding.UTF8.GetBytes(body), contentType, messageType);

    public static ByteArrayContent Bytes(byte[] body, string contentType, string? messageType = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (messageType is not null)
        {
            content.Headers.Add("Message-Type", messageType);
        }

        return content;
    }

    /// <summary>
    /// A request whose path and query go on the wire exactly as written: <see cref="Uri"/> neither unescapes nor
    /// re-escapes them (<c>%2F</c>, <c>%252F</c> and <c>%FF</c> stay what they are).
    /// </summary>
    public static HttpRequestMessage Verbatim(HttpMethod method, BankServer server, string pathAndQuery, HttpContent? content = null) =>
        new(method, new Uri(server.Http.BaseAddress!.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }))
        {
            Content = content,
        };

    /// <summary>Asserts a problem-details answer with <paramref name="status"/> whose detail contains <paramref name="detail"/>; returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }
}
