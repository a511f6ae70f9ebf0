"""The Word export: ``file`` makes the .docx, ``body`` writes the content, ``style`` the look, ``ooxml`` the elements."""
