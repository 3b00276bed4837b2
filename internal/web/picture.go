package web

// pictureRoutes serves the situation picture's picture pages (issue 4).
func (s *Server) pictureRoutes() {}
