/* Worksheets in the browser: see ARCHITECTURE.md. */
