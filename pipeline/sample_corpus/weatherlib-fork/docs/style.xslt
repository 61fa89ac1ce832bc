<?xml version="1.0" encoding="UTF-8"?>
<!-- Renders the station list exported by `weatherlib stations --xml` as an HTML table. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" indent="yes" encoding="UTF-8"/>

  <xsl:template match="/stations">
    <html>
      <head><title>Weather stations</title></head>
      <body>
        <h1>Weather stations</h1>
        <table>
          <tr><th>ICAO</th><th>Name</th><th>Country</th><th>Elevation</th></tr>
          <xsl:apply-templates select="station">
            <xsl:sort select="@country"/>
            <xsl:sort select="@icao"/>
          </xsl:apply-templates>
        </table>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="station">
    <tr>
      <td><xsl:value-of select="@icao"/></td>
      <td><xsl:value-of select="name"/></td>
      <td><xsl:value-of select="@country"/></td>
      <td><xsl:value-of select="concat(@elevation, ' m')"/></td>
    </tr>
  </xsl:template>
</xsl:stylesheet>
